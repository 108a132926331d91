namespace Defence.Projections.Trends;

/// <summary>Periods a trends question compares (docs/http-api.md, "Trends: comparison and small numbers").</summary>
public static class TrendPeriods
{
    /// <summary>
    /// The period of equal length just before [<paramref name="from"/>, <paramref name="to"/>]: the same number of whole
    /// calendar months when <paramref name="from"/> is a month's first day and <paramref name="to"/> a month's last day
    /// (2007-01-01..2011-12-31 gives 2002-01-01..2006-12-31), else the same number of days. A period that would start
    /// before the first representable date starts there; null when there is no day before <paramref name="from"/>.
    /// </summary>
    public static (DateOnly From, DateOnly To)? Previous(DateOnly from, DateOnly to)
    {
        if (from > to) throw new ArgumentException("'from' is after 'to'.", nameof(from));
        if (from == DateOnly.MinValue) return null;
        var previousTo = from.AddDays(-1);
        if (from.Day == 1 && to.AddDays(1).Day == 1)
        {
            var months = MonthIndex(to) - MonthIndex(from) + 1;
            var first = MonthIndex(from) - months;
            var previousFrom = first < 0 ? DateOnly.MinValue : new DateOnly(first / 12 + 1, first % 12 + 1, 1);
            return (previousFrom, previousTo);
        }
        var days = to.DayNumber - from.DayNumber + 1;
        var start = from.DayNumber - days;
        return (start < DateOnly.MinValue.DayNumber ? DateOnly.MinValue : DateOnly.FromDayNumber(start), previousTo);
    }

    /// <summary>Months since January of year 1.</summary>
    static int MonthIndex(DateOnly date) => (date.Year - 1) * 12 + date.Month - 1;
}
