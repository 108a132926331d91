using Defence.Api.Tests.Infrastructure;
using Defence.Projections.Trends;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

public sealed class TrendPeriodCoverTests
{
    static IEnumerable<DateOnly> Days(char grain, DateOnly first, DateOnly last)
    {
        for (var period = first; period <= last; period = grain switch { 'd' => period.AddDays(1), 'm' => period.AddMonths(1), _ => period.AddYears(1) })
        {
            var end = grain switch { 'd' => period, 'm' => period.AddMonths(1).AddDays(-1), _ => period.AddYears(1).AddDays(-1) };
            for (var day = period; day <= end; day = day.AddDays(1)) yield return day;
        }
    }

    /// <summary>What the cover promises whatever cells it picks: each day of the period once, nothing outside it.</summary>
    [Fact]
    public void the_cells_chosen_for_a_period_cover_each_of_its_days_exactly_once()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 2000; i++)
        {
            var first = new DateOnly(1990, 1, 1).AddDays(random.Next(0, 365 * 12));
            var last = first.AddDays(random.Next(0, i % 3 == 0 ? 40 : 365 * 8));

            var covered = TrendQuery.Cover(first, last).SelectMany(r => Days(r.Grain, r.First, r.Last)).ToList();

            Assert.Equal(last.DayNumber - first.DayNumber + 1, covered.Count);
            Assert.Equal(covered.Count, covered.Distinct().Count());
            Assert.All(covered, day => Assert.InRange(day, first, last));
        }
    }
}

[Collection(ApiCollection.Name)]
public sealed class TrendPeriodTests(ApiFixture api)
{
    readonly TestTenant _tenant = ApiFixture.NewTenant();

    [Fact]
    public async Task a_period_with_ragged_edges_counts_exactly_the_cases_inside_it()
    {
        var start = new DateOnly(1987, 3, 17);
        DateOnly[] inside = [start, start.AddDays(20), start.AddMonths(2), start.AddYears(1), start.AddYears(2).AddMonths(1), start.AddYears(3).AddDays(-1)];
        DateOnly[] outside = [start.AddDays(-1), start.AddYears(3)];
        await api.As(_tenant.TenantAdmin()).ImportOk(inside.Concat(outside).Select(d => Row($"P-{Guid.NewGuid():N}", $"{d:yyyy-MM-dd}", "paediatrics", "email")).ToArray());
        await api.ProjectionsCaughtUp();

        var trends = await api.As(_tenant.Analyst()).Trends($"by=year&from={start:yyyy-MM-dd}&to={start.AddYears(3).AddDays(-1):yyyy-MM-dd}&specialty=paediatrics&channel=email");

        Assert.Equal(inside.Length, trends["total"]!.GetValue<long>());
        AssertRows(trends, ["year"], inside.GroupBy(d => d.Year).Select(g => $"{g.Key}={g.Count()}").ToArray());
    }

    /// <summary>Cases on days spread over twelve years; every period asked counts exactly the cases dated inside it.</summary>
    [Fact]
    public async Task any_period_counts_exactly_the_cases_dated_from_its_first_to_its_last_day()
    {
        var random = new Random(19870317);
        var days = Enumerable.Range(0, 400).Select(_ => new DateOnly(1990, 1, 1).AddDays(random.Next(0, 365 * 12))).ToArray();
        await api.As(_tenant.TenantAdmin()).ImportOk(days.Select(d => Row($"P-{Guid.NewGuid():N}", $"{d:yyyy-MM-dd}")).ToArray());
        await api.ProjectionsCaughtUp();
        var analyst = api.As(_tenant.Analyst());

        for (var i = 0; i < 40; i++)
        {
            var from = new DateOnly(1989, 12, 1).AddDays(random.Next(0, 365 * 12));
            var to = from.AddDays(random.Next(0, i % 4 == 0 ? 62 : 365 * 6));

            var trends = await analyst.Trends($"by=year&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");

            var expected = days.Where(d => d >= from && d <= to).ToArray();
            Assert.True(expected.Length == trends["total"]!.GetValue<long>(), $"{from}..{to}: expected {expected.Length}, answered {trends["total"]}");
            AssertRows(trends, ["year"], expected.GroupBy(d => d.Year).Select(g => $"{g.Key}={g.Count()}").ToArray());
        }
    }
}
