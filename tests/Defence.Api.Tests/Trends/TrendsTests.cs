using System.Net;
using Defence.Api.Tests.Infrastructure;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

[Collection(ApiCollection.Name)]
public sealed class TrendsTests(ApiFixture api)
{
    /// <summary>Each test counts in a tenant of its own, so its periods hold only its own cases.</summary>
    readonly TestTenant _tenant = ApiFixture.NewTenant();
    HttpClient Admin => api.As(_tenant.TenantAdmin());
    HttpClient Analyst => api.As(_tenant.Analyst());

    static string Ref() => $"T-{Guid.NewGuid():N}";

    [Fact]
    public async Task counts_by_one_dimension_come_largest_first_with_their_share_of_the_total()
    {
        const string d = "2009-03-02";
        await Admin.ImportOk(
            Row(Ref(), d, "general-practice"), Row(Ref(), d, "general-practice"), Row(Ref(), d, "general-practice"),
            Row(Ref(), d, "psychiatry"));
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends($"by=specialty&from={d}&to={d}");

        Assert.Equal(4, trends["total"]!.GetValue<long>());
        Assert.Equal(["general-practice=3", "psychiatry=1"], Counts(trends, "specialty"));
        Assert.Equal(0.75, trends["rows"]![0]!["share"]!.GetValue<double>());
        Assert.Equal(0.25, trends["rows"]![1]!["share"]!.GetValue<double>());
        Assert.Equal(d, trends["from"]!.GetValue<string>());
        Assert.Equal(d, trends["to"]!.GetValue<string>());
        Assert.NotNull(trends["asOf"]);
    }

    [Fact]
    public async Task a_case_with_several_channels_counts_once_in_the_total_and_once_under_each_channel()
    {
        const string d = "2009-03-02";
        await Admin.ImportOk(Row(Ref(), d, channels: "facebook|letter|gift"), Row(Ref(), d, channels: "letter"));
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends($"by=channel&from={d}&to={d}");

        Assert.Equal(2, trends["total"]!.GetValue<long>());
        AssertRows(trends, ["channel"], "letter=2", "facebook=1", "gift=1");
        Assert.Equal(1.0, trends["rows"]![0]!["share"]!.GetValue<double>());
    }

    [Fact]
    public async Task two_dimensions_at_once_count_each_pair()
    {
        var first = new DateOnly(2008, 6, 30);
        var second = first.AddYears(1);
        await Admin.ImportOk(
            Row(Ref(), $"{first:yyyy-MM-dd}", "general-practice"), Row(Ref(), $"{first:yyyy-MM-dd}", "general-practice"),
            Row(Ref(), $"{second:yyyy-MM-dd}", "general-practice"), Row(Ref(), $"{second:yyyy-MM-dd}", "psychiatry"));
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends($"by=specialty,year&from={first:yyyy-MM-dd}&to={second:yyyy-MM-dd}");

        Assert.Equal(4, trends["total"]!.GetValue<long>());
        AssertRows(trends, ["specialty", "year"],
            $"general-practice/{first.Year}=2", $"general-practice/{second.Year}=1", $"psychiatry/{second.Year}=1");
    }

    [Fact]
    public async Task filters_narrow_the_total_and_the_rows()
    {
        const string d = "2009-03-02";
        await Admin.ImportOk(
            Row(Ref(), d, "general-practice", "facebook", "amorous-advances"),
            Row(Ref(), d, "general-practice", "text-message", "harassment"),
            Row(Ref(), d, "psychiatry", "facebook|text-message", "amorous-advances"));
        await api.ProjectionsCaughtUp();

        var bySpecialty = await Analyst.Trends($"by=specialty&from={d}&to={d}&channel=facebook");
        var byConcern = await Analyst.Trends($"by=concern&from={d}&to={d}&specialty=general-practice");
        var byChannel = await Analyst.Trends($"by=channel&from={d}&to={d}&concern=amorous-advances");

        Assert.Equal(2, bySpecialty["total"]!.GetValue<long>());
        AssertRows(bySpecialty, ["specialty"], "general-practice=1", "psychiatry=1");
        Assert.Equal(2, byConcern["total"]!.GetValue<long>());
        AssertRows(byConcern, ["concern"], "amorous-advances=1", "harassment=1");
        Assert.Equal(2, byChannel["total"]!.GetValue<long>());
        AssertRows(byChannel, ["channel"], "facebook=2", "text-message=1");
    }

    [Fact]
    public async Task the_period_includes_its_first_and_last_days_and_nothing_outside()
    {
        var from = new DateOnly(2009, 3, 2);
        var to = from.AddDays(10);
        await Admin.ImportOk(
            Row(Ref(), $"{from.AddDays(-1):yyyy-MM-dd}"), Row(Ref(), $"{from:yyyy-MM-dd}"),
            Row(Ref(), $"{to:yyyy-MM-dd}"), Row(Ref(), $"{to.AddDays(1):yyyy-MM-dd}"));
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends($"by=specialty&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");

        Assert.Equal(2, trends["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task without_from_and_to_every_case_counts_whatever_its_date_and_either_bound_alone_limits_one_side()
    {
        var recent = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await Admin.ImportOk(Row(Ref(), "1900-01-01"), Row(Ref(), "1999-12-31"), Row(Ref(), $"{recent:yyyy-MM-dd}"));
        await api.ProjectionsCaughtUp();

        var all = await Analyst.Trends("by=year");
        var fromOnly = await Analyst.Trends("by=year&from=1999-12-31");
        var toOnly = await Analyst.Trends("by=year&to=1999-12-31");

        Assert.Equal(3, all["total"]!.GetValue<long>());
        AssertRows(all, ["year"], "1900=1", "1999=1", $"{recent.Year}=1");
        Assert.Equal(2, fromOnly["total"]!.GetValue<long>());
        AssertRows(fromOnly, ["year"], "1999=1", $"{recent.Year}=1");
        Assert.Equal(2, toOnly["total"]!.GetValue<long>());
        AssertRows(toOnly, ["year"], "1900=1", "1999=1");
    }

    [Fact]
    public async Task complaints_and_withdrawals_are_counted_from_the_case_commands()
    {
        var member = api.As(_tenant.Member());
        var adviser = api.As(_tenant.Adviser());
        var day = new DateOnly(2009, 3, 2);
        var withComplaint = await member.ReportCase(CaseApi.Report(specialty: "surgery", occurredOn: $"{day:yyyy-MM-dd}"));
        var withdrawn = await member.ReportCase(CaseApi.Report(specialty: "surgery", occurredOn: $"{day:yyyy-MM-dd}"));
        await member.ReportCase(CaseApi.Report(specialty: "surgery", occurredOn: $"{day:yyyy-MM-dd}"));
        foreach (var caseId in new[] { withComplaint, withdrawn })
            await (await adviser.Command(caseId, "gmc-complaint", new { gmcReference = "G-1", receivedOn = $"{day.AddDays(5):yyyy-MM-dd}", allegation = "Alleged." })).ShouldHave(HttpStatusCode.OK);
        await (await adviser.Command(withdrawn, "allegation-withdrawal", new { withdrawnOn = $"{day.AddDays(50):yyyy-MM-dd}", reason = "Fabricated." })).ShouldHave(HttpStatusCode.OK);
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends($"by=specialty&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");

        Assert.Equal(3, trends["total"]!.GetValue<long>());
        Assert.Equal(2, trends["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(1, trends["allegationsWithdrawn"]!.GetValue<long>());
        var row = Assert.Single(trends["rows"]!.AsArray())!;
        Assert.Equal(2, row["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(1, row["allegationsWithdrawn"]!.GetValue<long>());
    }

    [Fact]
    public async Task one_tenants_cases_never_appear_in_another_tenants_trends()
    {
        const string d = "2009-03-02";
        var other = ApiFixture.NewTenant();
        await api.As(other.TenantAdmin()).ImportOk(Row(Ref(), d, "ophthalmology"));
        await Admin.ImportOk(Row(Ref(), d, "radiology"));
        await api.ProjectionsCaughtUp();

        var mine = await Analyst.Trends("by=specialty");
        var theirs = await api.As(other.Analyst()).Trends("by=specialty");

        Assert.Equal(["radiology=1"], Counts(mine, "specialty"));
        Assert.Equal(["ophthalmology=1"], Counts(theirs, "specialty"));
    }

    /// <summary>Questions without concern read the roll-up cells; by concern, the concerns' own: the two must agree.</summary>
    [Fact]
    public async Task the_concern_roll_up_agrees_with_the_concerns_own_counts()
    {
        var day = new DateOnly(2009, 3, 2);
        string[] concerns = ["amorous-advances", "harassment", "online-criticism"];
        await Admin.ImportOk(Enumerable.Range(0, 12).Select(i => Row(Ref(), $"{day.AddDays(i % 3):yyyy-MM-dd}",
            i % 2 == 0 ? "psychiatry" : "general-practice", i % 3 == 0 ? "letter|facebook" : "text-message", concerns[i % 3],
            gmcReference: i % 4 == 0 ? "G" : "", gmcReceivedOn: i % 4 == 0 ? $"{day.AddDays(30):yyyy-MM-dd}" : "")).ToArray());
        await api.ProjectionsCaughtUp();
        var period = $"from={day:yyyy-MM-dd}&to={day.AddDays(2):yyyy-MM-dd}";

        var bySpecialty = await Analyst.Trends($"by=specialty&{period}");
        var byConcern = await Analyst.Trends($"by=concern&{period}");
        var byChannel = await Analyst.Trends($"by=channel&{period}");

        Assert.Equal(12, bySpecialty["total"]!.GetValue<long>());
        Assert.Equal(12, byConcern["total"]!.GetValue<long>());
        AssertRows(byConcern, ["concern"], "amorous-advances=4", "harassment=4", "online-criticism=4");
        Assert.Equal(3, bySpecialty["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(3, byConcern["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(3, byConcern["rows"]!.AsArray().Sum(r => r!["gmcComplaints"]!.GetValue<long>()));
        AssertRows(byChannel, ["channel"], "text-message=8", "facebook=4", "letter=4");
    }

    [Theory]
    [InlineData("by=specialty")]
    [InlineData("by=channel")]
    [InlineData("by=year&channel=letter")]
    public async Task a_period_without_cases_has_a_total_of_zero_and_no_rows(string query)
    {
        await Admin.ImportOk(Row(Ref(), "2009-03-02", channels: "letter"));
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends($"{query}&from=2009-03-03&to=2010-03-01");

        Assert.Equal(0, trends["total"]!.GetValue<long>());
        Assert.Equal(0, trends["gmcComplaints"]!.GetValue<long>());
        Assert.Empty(trends["rows"]!.AsArray());
    }

    [Fact]
    public async Task accept_text_csv_returns_the_same_rows_as_csv()
    {
        const string d = "2009-03-02";
        await Admin.ImportOk(Row(Ref(), d, "dentistry"), Row(Ref(), d, "dentistry"), Row(Ref(), d, "anaesthetics"));
        await api.ProjectionsCaughtUp();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trends?by=specialty&from={d}&to={d}");
        request.Headers.Accept.ParseAdd("text/csv");

        var response = await Analyst.SendAsync(request);

        await response.ShouldHave(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["specialty,count,share,gmcComplaints,allegationsWithdrawn", "dentistry,2,0.6667,0,0", "anaesthetics,1,0.3333,0,0"], lines);
    }

    [Theory]
    [InlineData("", "by")]
    [InlineData("by=colour", "by")]
    [InlineData("by=specialty,channel,year", "by")]
    [InlineData("by=specialty,specialty", "by")]
    [InlineData("by=specialty&from=2011-12-31&to=2007-01-01", "from")]
    [InlineData("by=specialty&from=31/12/2011", "from")]
    [InlineData("by=specialty&to=2011-02-30", "to")]
    [InlineData("by=specialty&channel=pigeon", "channel")]
    [InlineData("by=specialty&specialty=cardiology", "specialty")]
    [InlineData("by=specialty&concern=worry", "concern")]
    public async Task bad_trend_parameters_are_a_400_naming_them(string query, string field)
    {
        var response = await Analyst.GetAsync($"/api/trends?{query}");

        await response.ShouldBeValidationProblem(field);
    }
}
