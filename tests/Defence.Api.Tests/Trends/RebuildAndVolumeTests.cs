using System.Net;
using System.Text.RegularExpressions;
using Defence.Api.Tests.Infrastructure;
using Defence.Projections.Trends;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

[Collection(ApiCollection.Name)]
public sealed class RebuildAndVolumeTests(ApiFixture api)
{
    readonly TestTenant _tenant = ApiFixture.NewTenant();

    [Fact]
    public async Task a_rebuild_from_the_events_reproduces_the_same_numbers()
    {
        var analyst = api.As(_tenant.Analyst());
        var day = new DateOnly(1994, 7, 4);
        await api.As(_tenant.TenantAdmin()).ImportOk(Enumerable.Range(0, 30).Select(i => Row($"R-{Guid.NewGuid():N}", $"{day.AddDays(i % 7):yyyy-MM-dd}",
            i % 3 == 0 ? "psychiatry" : "general-practice", i % 2 == 0 ? "facebook|letter" : "text-message",
            gmcReference: i % 5 == 0 ? "G" : "", gmcReceivedOn: i % 5 == 0 ? $"{day.AddDays(20):yyyy-MM-dd}" : "",
            withdrawnOn: i % 10 == 0 ? $"{day.AddDays(40):yyyy-MM-dd}" : "")).ToArray());
        var reported = await api.As(_tenant.Member()).ReportCase(CaseApi.Report(occurredOn: $"{day:yyyy-MM-dd}", channels: ["letter", "facebook"]));
        await (await api.As(_tenant.Adviser()).Command(reported, "gmc-complaint", new { gmcReference = "G2", receivedOn = $"{day.AddDays(3):yyyy-MM-dd}", allegation = "A." })).ShouldHave(HttpStatusCode.OK);
        await api.ProjectionsCaughtUp();
        string[] questions = [$"by=specialty,channel&from={day:yyyy-MM-dd}&to={day.AddDays(10):yyyy-MM-dd}", "by=concern,year"];
        var before = await Task.WhenAll(questions.Select(async q => (await analyst.Trends(q)).ToJsonString()));

        var result = await api.Store.RebuildTrendsAsync(_tenant.Key, CancellationToken.None);

        Assert.Equal(31, result.Cases);
        var after = await Task.WhenAll(questions.Select(async q => (await analyst.Trends(q)).ToJsonString()));
        Assert.Equal(WithoutAsOf(before), WithoutAsOf(after));
        Assert.Contains("\"total\":31", after[0]);
    }

    static string[] WithoutAsOf(string[] bodies) =>
        bodies.Select(b => Regex.Replace(b, "\"asOf\":\"[^\"]*\"", "")).ToArray();

    [Fact]
    public async Task every_row_of_a_large_import_is_counted_in_the_trends()
    {
        var day = new DateOnly(1994, 7, 4);
        var rows = Enumerable.Range(0, 10_000).Select(i =>
            Row($"C-{Guid.NewGuid():N}", $"{day.AddDays(i % 10):yyyy-MM-dd}", i % 4 == 0 ? "psychiatry" : "general-practice", i % 2 == 0 ? "facebook|letter" : "letter"));

        var imported = await api.As(_tenant.TenantAdmin()).ImportOk(rows.ToArray());
        await api.ProjectionsCaughtUp();

        Assert.Equal(10_000, imported["imported"]!.GetValue<int>());
        var trends = await api.As(_tenant.Analyst()).Trends($"by=specialty,channel&from={day:yyyy-MM-dd}&to={day.AddDays(9):yyyy-MM-dd}");
        Assert.Equal(10_000, trends["total"]!.GetValue<long>());
        AssertRows(trends, ["specialty", "channel"],
            "general-practice/letter=7500", "general-practice/facebook=2500", "psychiatry/letter=2500", "psychiatry/facebook=2500");
    }
}
