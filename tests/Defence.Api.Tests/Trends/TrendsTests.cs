using System.Net;
using Defence.Api.Tests.Infrastructure;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

[Collection(ApiCollection.Name)]
public sealed class TrendsTests(ApiFixture api)
{
    readonly HttpClient _admin = api.As(Admin("trends"));
    readonly HttpClient _analyst = api.As(Analyst("trends"));

    static string Ref() => $"T-{Guid.NewGuid():N}";

    [Fact]
    public async Task counts_by_one_dimension_come_largest_first_with_their_share_of_the_total()
    {
        var day = UniqueDay();
        var d = day.ToString("yyyy-MM-dd");
        await _admin.ImportOk(
            Row(Ref(), d, "general-practice"), Row(Ref(), d, "general-practice"), Row(Ref(), d, "general-practice"),
            Row(Ref(), d, "psychiatry"));
        await api.ProjectionsCaughtUp();

        var trends = await _analyst.Trends($"by=specialty&from={d}&to={d}");

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
        var d = UniqueDay().ToString("yyyy-MM-dd");
        await _admin.ImportOk(Row(Ref(), d, channels: "facebook|letter|gift"), Row(Ref(), d, channels: "letter"));
        await api.ProjectionsCaughtUp();

        var trends = await _analyst.Trends($"by=channel&from={d}&to={d}");

        Assert.Equal(2, trends["total"]!.GetValue<long>());
        Assert.Equal(["letter=2", "facebook=1", "gift=1"], Counts(trends, "channel"));
        Assert.Equal(1.0, trends["rows"]![0]!["share"]!.GetValue<double>());
    }

    [Fact]
    public async Task two_dimensions_at_once_count_each_pair()
    {
        var first = UniqueDay();
        var second = first.AddYears(1);
        await _admin.ImportOk(
            Row(Ref(), $"{first:yyyy-MM-dd}", "general-practice"), Row(Ref(), $"{first:yyyy-MM-dd}", "general-practice"),
            Row(Ref(), $"{second:yyyy-MM-dd}", "general-practice"), Row(Ref(), $"{second:yyyy-MM-dd}", "psychiatry"));
        await api.ProjectionsCaughtUp();

        var trends = await _analyst.Trends($"by=specialty,year&from={first:yyyy-MM-dd}&to={second:yyyy-MM-dd}");

        Assert.Equal(4, trends["total"]!.GetValue<long>());
        Assert.Equal(
            [$"general-practice/{first.Year}=2", $"general-practice/{second.Year}=1", $"psychiatry/{second.Year}=1"],
            Counts(trends, "specialty", "year"));
    }

    [Fact]
    public async Task filters_narrow_the_total_and_the_rows()
    {
        var d = UniqueDay().ToString("yyyy-MM-dd");
        await _admin.ImportOk(
            Row(Ref(), d, "general-practice", "facebook", "amorous-advances"),
            Row(Ref(), d, "general-practice", "text-message", "harassment"),
            Row(Ref(), d, "psychiatry", "facebook|text-message", "amorous-advances"));
        await api.ProjectionsCaughtUp();

        var bySpecialty = await _analyst.Trends($"by=specialty&from={d}&to={d}&channel=facebook");
        var byConcern = await _analyst.Trends($"by=concern&from={d}&to={d}&specialty=general-practice");
        var byChannel = await _analyst.Trends($"by=channel&from={d}&to={d}&concern=amorous-advances");

        Assert.Equal(2, bySpecialty["total"]!.GetValue<long>());
        Assert.Equal(["general-practice=1", "psychiatry=1"], Counts(bySpecialty, "specialty"));
        Assert.Equal(["amorous-advances=1", "harassment=1"], Counts(byConcern, "concern"));
        Assert.Equal(["facebook=2", "text-message=1"], Counts(byChannel, "channel"));
    }

    [Fact]
    public async Task the_period_includes_its_first_and_last_days_and_nothing_outside()
    {
        var from = UniqueDay();
        var to = from.AddDays(10);
        await _admin.ImportOk(
            Row(Ref(), $"{from.AddDays(-1):yyyy-MM-dd}"), Row(Ref(), $"{from:yyyy-MM-dd}"),
            Row(Ref(), $"{to:yyyy-MM-dd}"), Row(Ref(), $"{to.AddDays(1):yyyy-MM-dd}"));
        await api.ProjectionsCaughtUp();

        var trends = await _analyst.Trends($"by=specialty&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");

        Assert.Equal(2, trends["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task complaints_and_withdrawals_are_counted_from_the_case_commands()
    {
        var tid = ApiFixture.CountingTenants["trends"];
        var member = api.As(TestUser.Member(tid));
        var adviser = api.As(TestUser.Adviser(tid));
        var day = UniqueDay();
        var withComplaint = await member.ReportCase(CaseApi.Report(specialty: "surgery", occurredOn: $"{day:yyyy-MM-dd}"));
        var withdrawn = await member.ReportCase(CaseApi.Report(specialty: "surgery", occurredOn: $"{day:yyyy-MM-dd}"));
        await member.ReportCase(CaseApi.Report(specialty: "surgery", occurredOn: $"{day:yyyy-MM-dd}"));
        foreach (var caseId in new[] { withComplaint, withdrawn })
            await (await adviser.Command(caseId, "gmc-complaint", new { gmcReference = "G-1", receivedOn = $"{day.AddDays(5):yyyy-MM-dd}", allegation = "Alleged." })).ShouldHave(HttpStatusCode.OK);
        await (await adviser.Command(withdrawn, "allegation-withdrawal", new { withdrawnOn = $"{day.AddDays(50):yyyy-MM-dd}", reason = "Fabricated." })).ShouldHave(HttpStatusCode.OK);
        await api.ProjectionsCaughtUp();

        var trends = await _analyst.Trends($"by=specialty&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");

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
        var d = UniqueDay().ToString("yyyy-MM-dd");
        await api.As(Admin("trends-other")).ImportOk(Row(Ref(), d, "ophthalmology"));
        await _admin.ImportOk(Row(Ref(), d, "radiology"));
        await api.ProjectionsCaughtUp();

        var mine = await _analyst.Trends($"by=specialty&from={d}&to={d}");
        var theirs = await api.As(Analyst("trends-other")).Trends($"by=specialty&from={d}&to={d}");

        Assert.Equal(["radiology=1"], Counts(mine, "specialty"));
        Assert.Equal(["ophthalmology=1"], Counts(theirs, "specialty"));
    }

    /// <summary>Questions without concern read the roll-up cells; by concern, the concerns' own: the two must agree.</summary>
    [Fact]
    public async Task the_concern_roll_up_agrees_with_the_concerns_own_counts()
    {
        var day = UniqueDay();
        string[] concerns = ["amorous-advances", "harassment", "online-criticism"];
        await _admin.ImportOk(Enumerable.Range(0, 12).Select(i => Row(Ref(), $"{day.AddDays(i % 3):yyyy-MM-dd}",
            i % 2 == 0 ? "psychiatry" : "general-practice", i % 3 == 0 ? "letter|facebook" : "text-message", concerns[i % 3],
            gmcReference: i % 4 == 0 ? "G" : "", gmcReceivedOn: i % 4 == 0 ? $"{day.AddDays(30):yyyy-MM-dd}" : "")).ToArray());
        await api.ProjectionsCaughtUp();
        var period = $"from={day:yyyy-MM-dd}&to={day.AddDays(2):yyyy-MM-dd}";

        var bySpecialty = await _analyst.Trends($"by=specialty&{period}");
        var byConcern = await _analyst.Trends($"by=concern&{period}");
        var byChannel = await _analyst.Trends($"by=channel&{period}");

        Assert.Equal(12, bySpecialty["total"]!.GetValue<long>());
        Assert.Equal(12, byConcern["total"]!.GetValue<long>());
        Assert.Equal(["amorous-advances=4", "harassment=4", "online-criticism=4"], Counts(byConcern, "concern"));
        Assert.Equal(3, bySpecialty["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(3, byConcern["gmcComplaints"]!.GetValue<long>());
        Assert.Equal(3, byConcern["rows"]!.AsArray().Sum(r => r!["gmcComplaints"]!.GetValue<long>()));
        Assert.Equal(["text-message=8", "facebook=4", "letter=4"], Counts(byChannel, "channel"));
    }

    [Theory]
    [InlineData("by=specialty")]
    [InlineData("by=channel")]
    [InlineData("by=year&channel=letter")]
    public async Task a_period_without_cases_has_a_total_of_zero_and_no_rows(string query)
    {
        var d = UniqueDay().ToString("yyyy-MM-dd");

        var trends = await _analyst.Trends($"{query}&from={d}&to={d}");

        Assert.Equal(0, trends["total"]!.GetValue<long>());
        Assert.Equal(0, trends["gmcComplaints"]!.GetValue<long>());
        Assert.Empty(trends["rows"]!.AsArray());
    }

    [Fact]
    public async Task accept_text_csv_returns_the_same_rows_as_csv()
    {
        var d = UniqueDay().ToString("yyyy-MM-dd");
        await _admin.ImportOk(Row(Ref(), d, "dentistry"), Row(Ref(), d, "dentistry"), Row(Ref(), d, "anaesthetics"));
        await api.ProjectionsCaughtUp();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trends?by=specialty&from={d}&to={d}");
        request.Headers.Accept.ParseAdd("text/csv");

        var response = await _analyst.SendAsync(request);

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
        var response = await _analyst.GetAsync($"/api/trends?{query}");

        await response.ShouldBeValidationProblem(field);
    }
}
