using System.Text.Json;
using Defence.Projections.Trends;
using Defence.Api.Tests.Infrastructure;
using Npgsql;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

[Collection(ApiCollection.Name)]
public sealed class RebuildAndCostTests(ApiFixture api)
{
    [Fact]
    public async Task a_rebuild_from_the_events_reproduces_the_same_numbers()
    {
        const string tenant = "rebuild";
        var admin = api.As(Admin(tenant));
        var analyst = api.As(Analyst(tenant));
        var adviser = api.As(TestUser.Adviser(ApiFixture.CountingTenants[tenant]));
        var day = UniqueDay();
        await admin.ImportOk(Enumerable.Range(0, 30).Select(i => Row($"R-{Guid.NewGuid():N}", $"{day.AddDays(i % 7):yyyy-MM-dd}",
            i % 3 == 0 ? "psychiatry" : "general-practice", i % 2 == 0 ? "facebook|letter" : "text-message",
            gmcReference: i % 5 == 0 ? "G" : "", gmcReceivedOn: i % 5 == 0 ? $"{day.AddDays(20):yyyy-MM-dd}" : "",
            withdrawnOn: i % 10 == 0 ? $"{day.AddDays(40):yyyy-MM-dd}" : "")).ToArray());
        var reported = await api.As(TestUser.Member(ApiFixture.CountingTenants[tenant])).ReportCase(CaseApi.Report(occurredOn: $"{day:yyyy-MM-dd}", channels: ["letter", "facebook"]));
        await (await adviser.Command(reported, "gmc-complaint", new { gmcReference = "G2", receivedOn = $"{day.AddDays(3):yyyy-MM-dd}", allegation = "A." })).ShouldHave(System.Net.HttpStatusCode.OK);
        await api.ProjectionsCaughtUp();
        var query = $"from={day:yyyy-MM-dd}&to={day.AddDays(10):yyyy-MM-dd}";
        var before = new[] { "by=specialty,channel", "by=concern,year" }.Select(async q => (await analyst.Trends($"{q}&{query}")).ToJsonString());
        var expected = await Task.WhenAll(before);

        var result = await api.Store.RebuildTrendsAsync(tenant, CancellationToken.None);

        Assert.True(result.Cases >= 31);
        var after = await Task.WhenAll(new[] { "by=specialty,channel", "by=concern,year" }.Select(async q => (await analyst.Trends($"{q}&{query}")).ToJsonString()));
        Assert.Equal(WithoutAsOf(expected), WithoutAsOf(after));
        Assert.Contains("\"total\":31", after[0]);
    }

    static string[] WithoutAsOf(string[] bodies) =>
        bodies.Select(b => System.Text.RegularExpressions.Regex.Replace(b, "\"asOf\":\"[^\"]*\"", "")).ToArray();

    [Fact]
    public async Task the_trends_query_reads_the_same_rows_with_10_cases_as_with_10000()
    {
        var day = UniqueDay();
        string Rows(int count) => string.Join('\n', [Header, .. Enumerable.Range(0, count).Select(i =>
            Row($"C-{Guid.NewGuid():N}", $"{day.AddDays(i % 10):yyyy-MM-dd}", "general-practice", "facebook"))]);
        await (await api.As(Admin("cost-small")).Import(Rows(10))).ShouldHave(System.Net.HttpStatusCode.OK);
        await (await api.As(Admin("cost-large")).Import(Rows(10_000))).ShouldHave(System.Net.HttpStatusCode.OK);
        await api.ProjectionsCaughtUp();
        var request = new TrendRequest([TrendDimension.Specialty, TrendDimension.Channel], day, day.AddDays(9));

        var small = TrendQuery.Build(request, "cost-small", TrendTables.Of(api.Store));
        var large = TrendQuery.Build(request, "cost-large", TrendTables.Of(api.Store));
        var smallRows = await RowsRead(small.Sql, small.Parameters);
        var largeRows = await RowsRead(large.Sql, large.Parameters);

        Assert.Equal(small.Sql, large.Sql);
        Assert.Equal(10, smallRows);
        Assert.Equal(smallRows, largeRows);
        var totals = await api.As(Analyst("cost-large")).Trends($"by=specialty&from={day:yyyy-MM-dd}&to={day.AddDays(9):yyyy-MM-dd}");
        Assert.Equal(10_000, totals["total"]!.GetValue<long>());
    }

    /// <summary>Rows PostgreSQL actually read from the trend cells for the grouped statement (EXPLAIN ANALYZE).</summary>
    async Task<long> RowsRead(string sql, NpgsqlParameter[] parameters)
    {
        var grouped = sql.Split(";\n")[^1];
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"explain (analyze, format json) {grouped}", connection);
        command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        return Scans(plan.RootElement[0].GetProperty("Plan"));

        static long Scans(JsonElement node)
        {
            var own = node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "trend_cells"
                ? node.GetProperty("Actual Rows").GetInt64() * node.GetProperty("Actual Loops").GetInt64()
                : 0;
            return own + (node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().Sum(Scans) : 0);
        }
    }
}
