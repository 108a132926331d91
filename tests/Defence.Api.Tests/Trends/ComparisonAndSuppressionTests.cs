using System.Net;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;
using Defence.Projections.Trends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

/// <summary>The previous period of equal length (docs/http-api.md, "Trends: comparison and small numbers").</summary>
public sealed class PreviousPeriodTests
{
    [Theory]
    [InlineData("2007-01-01", "2011-12-31", "2002-01-01", "2006-12-31")] // five whole years
    [InlineData("2011-03-01", "2011-04-30", "2011-01-01", "2011-02-28")] // two whole months, of different lengths
    [InlineData("2012-03-01", "2012-03-31", "2012-02-01", "2012-02-29")] // one whole month before a leap February
    [InlineData("2011-01-10", "2011-01-19", "2010-12-31", "2011-01-09")] // ten days
    [InlineData("2011-03-01", "2011-03-30", "2011-01-30", "2011-02-28")] // not a whole month: 30 days
    [InlineData("0001-03-01", "0001-12-31", "0001-01-01", "0001-02-28")] // clamped at the first representable day
    public void the_previous_period_has_the_same_whole_months_or_else_the_same_days(string from, string to, string previousFrom, string previousTo)
    {
        var previous = TrendPeriods.Previous(DateOnly.Parse(from), DateOnly.Parse(to));

        Assert.Equal((DateOnly.Parse(previousFrom), DateOnly.Parse(previousTo)), previous);
    }

    [Fact]
    public void there_is_no_period_before_the_first_representable_day() =>
        Assert.Null(TrendPeriods.Previous(DateOnly.MinValue, new DateOnly(2000, 1, 1)));
}

[Collection(ApiCollection.Name)]
public sealed class ComparisonAndSuppressionTests(ApiFixture api)
{
    readonly TestTenant _tenant = ApiFixture.NewTenant();
    HttpClient Admin => api.As(_tenant.TenantAdmin());
    HttpClient Analyst => api.As(_tenant.Analyst());

    static string Ref() => $"C-{Guid.NewGuid():N}";

    static IEnumerable<string> Rows(int count, string day, string specialty = "general-practice", string channels = "facebook",
        string concern = "amorous-advances", string withdrawnOn = "") =>
        Enumerable.Range(0, count).Select(_ => withdrawnOn == ""
            ? Row(Ref(), day, specialty, channels, concern)
            : Row(Ref(), day, specialty, channels, concern, gmcReference: "GMC-1", gmcReceivedOn: day, withdrawnOn: withdrawnOn));

    static JsonObject RowWith(JsonNode trends, string key, string value) =>
        trends["rows"]!.AsArray().Single(r => r![key]!.ToString() == value)!.AsObject();

    [Fact]
    public async Task the_sample_history_rises_by_0_37_on_the_five_years_before()
    {
        await Admin.Import(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "mdu-amorous-advances-2002-2011.csv")));
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends("by=specialty&from=2007-01-01&to=2011-12-31&concern=amorous-advances&compare=previous");

        Assert.Equal(100, trends["total"]!.GetValue<long>());
        Assert.Equal("2002-01-01", trends["previous"]!["from"]!.GetValue<string>());
        Assert.Equal("2006-12-31", trends["previous"]!["to"]!.GetValue<string>());
        Assert.Equal(73, trends["previous"]!["total"]!.GetValue<long>());
        var gps = RowWith(trends, "specialty", "general-practice");
        Assert.Equal(72, gps["count"]!.GetValue<long>());
        var previousGps = await Analyst.Trends("by=specialty&from=2002-01-01&to=2006-12-31&concern=amorous-advances&specialty=general-practice");
        Assert.Equal(previousGps["total"]!.GetValue<long>(), gps["previousCount"]!.GetValue<long>());

        var overall = await Analyst.Trends("by=concern&from=2007-01-01&to=2011-12-31&compare=previous");
        Assert.Equal(0.37, overall["rows"]![0]!["change"]!.GetValue<double>());
        Assert.Equal(73, overall["rows"]![0]!["previousCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task two_dimensions_with_filters_compare_per_key_and_keep_keys_only_in_the_previous_period()
    {
        // This period: 2010; the previous: 2009. Harassment and text messages are filtered out.
        await Admin.ImportOk([
            .. Rows(3, "2010-05-01", "general-practice", "facebook"), .. Rows(1, "2010-05-01", "psychiatry", "facebook|letter"),
            .. Rows(2, "2009-05-01", "general-practice", "facebook"), .. Rows(2, "2009-05-01", "dermatology", "letter"),
            .. Rows(4, "2010-05-01", "general-practice", "text-message"), .. Rows(5, "2009-05-01", "psychiatry", "facebook", "harassment"),
        ]);
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends(
            "by=specialty,channel&from=2010-01-01&to=2010-12-31&concern=amorous-advances&channel=facebook&compare=previous");

        Assert.Equal(4, trends["total"]!.GetValue<long>());
        Assert.Equal(new JsonObject { ["from"] = "2009-01-01", ["to"] = "2009-12-31", ["total"] = 2 }.ToJsonString(), trends["previous"]!.ToJsonString());
        var rows = trends["rows"]!.AsArray().Select(r => $"{r!["specialty"]}/{r["channel"]}={r["count"]}<-{r["previousCount"]}:{r["change"]?.ToString() ?? "null"}").ToArray();
        Assert.Equal(["general-practice/facebook=3<-2:0.5", "psychiatry/facebook=1<-0:null"], rows);

        var byChannel = await Analyst.Trends("by=specialty,channel&from=2010-01-01&to=2010-12-31&concern=amorous-advances&compare=previous");
        var lines = byChannel["rows"]!.AsArray().Select(r => $"{r!["specialty"]}/{r["channel"]}={r["count"]}<-{r["previousCount"]}").ToArray();
        Assert.Equal(["general-practice/text-message=4<-0", "general-practice/facebook=3<-2", "psychiatry/facebook=1<-0", "psychiatry/letter=1<-0", "dermatology/letter=0<-2"], lines);
        var onlyBefore = RowWith(byChannel, "specialty", "dermatology");
        Assert.Equal(0.0, onlyBefore["share"]!.GetValue<double>());
        Assert.Equal(-1.0, onlyBefore["change"]!.GetValue<double>());
        Assert.Equal(4, byChannel["previous"]!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_period_of_days_compares_with_as_many_days_before_and_the_csv_carries_the_comparison()
    {
        await Admin.ImportOk([.. Rows(2, "2010-05-10", "psychiatry"), .. Rows(4, "2010-05-09", "psychiatry"), .. Rows(1, "2010-05-07", "psychiatry")]);
        await api.ProjectionsCaughtUp();

        var trends = await Analyst.Trends("by=specialty&from=2010-05-10&to=2010-05-11&compare=previous");

        Assert.Equal("2010-05-08", trends["previous"]!["from"]!.GetValue<string>());
        Assert.Equal("2010-05-09", trends["previous"]!["to"]!.GetValue<string>());
        Assert.Equal(-0.5, trends["rows"]![0]!["change"]!.GetValue<double>());

        var csv = await Csv("by=specialty&from=2010-05-10&to=2010-05-11&compare=previous");
        Assert.Equal(["specialty,count,share,gmcComplaints,allegationsWithdrawn,previousCount,change", "psychiatry,2,1,0,0,4,-0.5"], csv);
    }

    [Theory]
    [InlineData("by=specialty&compare=previous", "from")]
    [InlineData("by=specialty&from=2010-01-01&compare=previous", "to")]
    [InlineData("by=specialty&from=2010-01-01&to=2010-12-31&compare=next", "compare")]
    [InlineData("by=specialty&from=0001-01-01&to=2010-12-31&compare=previous", "from")]
    [InlineData("by=specialty&suppress=1", "suppress")]
    [InlineData("by=specialty&suppress=21", "suppress")]
    [InlineData("by=specialty&suppress=5.0", "suppress")]
    [InlineData("by=specialty&suppress=-3", "suppress")]
    [InlineData("by=specialty&suppress=99999999999999999999", "suppress")]
    public async Task a_bad_comparison_or_suppression_answers_400_naming_the_parameter(string query, string field)
    {
        var response = await Analyst.GetAsync($"/api/trends?{query}");

        await response.ShouldHave(HttpStatusCode.BadRequest);
        Assert.NotNull((await response.Body())["errors"]![field]);
    }

    /// <summary>
    /// Counts 1 to 9 of each kind, so k=5 must hide exactly 1-4 and keep 5-9, and 0 (a key only in the previous
    /// period) is kept: every figure is checked against the unsuppressed answer.
    /// </summary>
    [Fact]
    public async Task suppression_hides_every_count_from_1_to_k_minus_1_and_nothing_else_in_json_and_csv()
    {
        string[] specialties = ["general-practice", "psychiatry", "dermatology", "anaesthetics", "medicine", "surgery", "paediatrics", "radiology", "ophthalmology"];
        var rows = new List<string>();
        for (var i = 0; i < specialties.Length; i++)
        {
            rows.AddRange(Rows(i + 1, "2010-06-01", specialties[i]));
            rows.AddRange(Rows(9 - i, "2009-06-01", specialties[i], withdrawnOn: "2009-07-01"));
        }
        rows.AddRange(Rows(3, "2009-06-01", "dentistry"));
        await Admin.ImportOk([.. rows]);
        await api.ProjectionsCaughtUp();
        const string query = "by=specialty&from=2010-01-01&to=2010-12-31&compare=previous";

        var plain = await Analyst.Trends(query);
        var hidden = await Analyst.Trends(query + "&suppress=5");

        Assert.Null(plain["suppressBelow"]);
        Assert.Equal(5, hidden["suppressBelow"]!.GetValue<int>());
        Assert.Equal(plain["total"]!.GetValue<long>(), hidden["total"]!.GetValue<long>());
        Assert.Equal(plain["previous"]!.ToJsonString(), hidden["previous"]!.ToJsonString());
        Assert.Equal(10, hidden["rows"]!.AsArray().Count);
        foreach (var row in plain["rows"]!.AsArray())
        {
            var specialty = row!["specialty"]!.GetValue<string>();
            var suppressed = RowWith(hidden, "specialty", specialty);
            var anyHidden = false;
            foreach (var figure in new[] { "count", "gmcComplaints", "allegationsWithdrawn", "previousCount" })
            {
                var value = row[figure]!.GetValue<long>();
                var small = value is >= 1 and < 5;
                anyHidden |= small;
                if (small) Assert.Null(suppressed[figure]);
                else Assert.Equal(value, suppressed[figure]!.GetValue<long>());
            }
            var countHidden = row["count"]!.GetValue<long>() is >= 1 and < 5;
            var previousHidden = row["previousCount"]!.GetValue<long>() is >= 1 and < 5;
            Assert.Equal(countHidden ? null : row["share"]!.ToJsonString(), suppressed["share"]?.ToJsonString());
            Assert.Equal(countHidden || previousHidden ? null : row["change"]?.ToJsonString(), suppressed["change"]?.ToJsonString());
            Assert.Equal(anyHidden, suppressed["suppressed"]!.GetValue<bool>());
        }
        // Shown counts first, largest first; then the suppressed ones; then the keys with no case in this period.
        Assert.Equal(["ophthalmology", "radiology", "paediatrics", "surgery", "medicine"],
            hidden["rows"]!.AsArray().Take(5).Select(r => r!["specialty"]!.GetValue<string>()));
        Assert.Equal("dentistry", hidden["rows"]!.AsArray().Last()!["specialty"]!.GetValue<string>());

        var csv = await Csv(query + "&suppress=5");
        var plainCsv = await Csv(query);
        Assert.Equal(plainCsv[0], csv[0]);
        var cells = csv.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);
        foreach (var line in plainCsv.Skip(1).Select(l => l.Split(',')))
        {
            var suppressedLine = cells[line[0]];
            foreach (var column in new[] { 1, 3, 4, 5 })
                Assert.Equal(long.Parse(line[column]) is >= 1 and < 5 ? "<5" : line[column], suppressedLine[column]);
        }
    }

    [Fact]
    public async Task the_tenants_configured_suppression_applies_when_the_query_names_none_and_a_query_may_name_another()
    {
        await Admin.ImportOk([.. Rows(3, "2010-06-01", "general-practice"), .. Rows(12, "2010-06-01", "psychiatry"), .. Rows(1, "2010-06-01", "surgery", "letter")]);
        await api.ProjectionsCaughtUp();
        var configuration = api.Factory.Services.GetRequiredService<IConfiguration>();
        configuration[$"Trends:SuppressBelow:{_tenant.Key}"] = "4";
        try
        {
            var byDefault = await Analyst.Trends("by=specialty,channel&from=2010-01-01&to=2010-12-31");
            Assert.Equal(4, byDefault["suppressBelow"]!.GetValue<int>());
            Assert.Equal(16, byDefault["total"]!.GetValue<long>());
            Assert.Equal(["psychiatry/facebook=12", "general-practice/facebook=null", "surgery/letter=null"],
                byDefault["rows"]!.AsArray().Select(r => $"{r!["specialty"]}/{r["channel"]}={r["count"]?.ToString() ?? "null"}"));

            var stricter = await Analyst.Trends("by=specialty&from=2010-01-01&to=2010-12-31&suppress=13");
            Assert.Equal(13, stricter["suppressBelow"]!.GetValue<int>());
            Assert.All(stricter["rows"]!.AsArray(), r => Assert.Null(r!["count"]));

            Assert.Equal(["specialty,count,share,gmcComplaints,allegationsWithdrawn", "psychiatry,12,0.75,0,0", "general-practice,<4,,0,0", "surgery,<4,,0,0"],
                await Csv("by=specialty&from=2010-01-01&to=2010-12-31"));

            // Another tenant's setting is its own.
            var other = ApiFixture.NewTenant();
            var unsuppressed = await api.As(other.Analyst()).Trends("by=specialty");
            Assert.Null(unsuppressed["suppressBelow"]);
        }
        finally
        {
            configuration[$"Trends:SuppressBelow:{_tenant.Key}"] = null;
        }
    }

    [Fact]
    public void a_configured_suppression_outside_2_to_20_stops_the_api_naming_the_setting()
    {
        var settings = new Defence.Api.Trends.TrendSettings(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Trends:SuppressBelow:mdu"] = "5", ["Trends:SuppressBelow:mps"] = "1" }).Build());

        var error = Assert.Throws<InvalidOperationException>(settings.Validate);
        Assert.Contains("Trends:SuppressBelow:mps", error.Message);
    }

    async Task<string[]> Csv(string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trends?{query}");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await Analyst.SendAsync(request);
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }
}
