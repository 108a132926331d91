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

    [Fact]
    public void the_cells_chosen_for_a_period_cover_each_of_its_days_exactly_once()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 2000; i++)
        {
            var first = new DateOnly(1990, 1, 1).AddDays(random.Next(0, 365 * 12));
            var last = first.AddDays(random.Next(0, i % 3 == 0 ? 40 : 365 * 8));

            var ranges = TrendQuery.Cover(first, last);
            var covered = ranges.SelectMany(r => Days(r.Grain, r.First, r.Last)).ToList();

            Assert.Equal(5, ranges.Count);
            Assert.Equal(last.DayNumber - first.DayNumber + 1, covered.Count);
            Assert.Equal(covered.Count, covered.Distinct().Count());
            Assert.All(covered, day => Assert.InRange(day, first, last));
        }
    }

    [Fact]
    public void whole_years_are_read_as_year_cells_and_edges_as_months_and_days()
    {
        var ranges = TrendQuery.Cover(new DateOnly(2006, 11, 20), new DateOnly(2011, 2, 3));

        Assert.Equal(
            [('d', new DateOnly(2006, 11, 20), new DateOnly(2006, 11, 30)), ('m', new DateOnly(2006, 12, 1), new DateOnly(2006, 12, 1)),
             ('y', new DateOnly(2007, 1, 1), new DateOnly(2010, 1, 1)), ('m', new DateOnly(2011, 1, 1), new DateOnly(2011, 1, 1)),
             ('d', new DateOnly(2011, 2, 1), new DateOnly(2011, 2, 3))],
            ranges);
    }
}

[Collection(ApiCollection.Name)]
public sealed class TrendPeriodTests(ApiFixture api)
{
    [Fact]
    public async Task a_period_with_ragged_edges_counts_exactly_the_cases_inside_it()
    {
        var admin = api.As(Admin("trends"));
        var analyst = api.As(Analyst("trends"));
        var start = new DateOnly(1960 + Random.Shared.Next(0, 30), 3, 17);
        DateOnly[] inside = [start, start.AddDays(20), start.AddMonths(2), start.AddYears(1), start.AddYears(2).AddMonths(1), start.AddYears(3).AddDays(-1)];
        DateOnly[] outside = [start.AddDays(-1), start.AddYears(3)];
        await admin.ImportOk(inside.Concat(outside).Select(d => Row($"P-{Guid.NewGuid():N}", $"{d:yyyy-MM-dd}", "paediatrics", "email")).ToArray());
        await api.ProjectionsCaughtUp();

        var trends = await analyst.Trends($"by=year&from={start:yyyy-MM-dd}&to={start.AddYears(3).AddDays(-1):yyyy-MM-dd}&specialty=paediatrics&channel=email");

        Assert.Equal(inside.Length, trends["total"]!.GetValue<long>());
        Assert.Equal(inside.Length, trends["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()));
    }
}
