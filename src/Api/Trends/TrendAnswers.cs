using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;
using Defence.Projections.Trends;
using Marten;

namespace Defence.Api.Trends;

/// <summary>A trends question as the API and the dashboard both ask it: the counts asked for, and how to answer them.</summary>
/// <param name="ComparePrevious">Also count the period of equal length just before (<see cref="TrendPeriods.Previous"/>).</param>
/// <param name="SuppressBelow">Answer every count from 1 to k-1 as suppressed; null: none.</param>
public sealed record TrendsQuestion(TrendRequest Request, bool ComparePrevious, int? SuppressBelow);

/// <summary>The period compared with: its dates and its total (a total is never suppressed).</summary>
/// <param name="From">First day of the previous period.</param>
/// <param name="To">Last day of the previous period (the day before <c>from</c>).</param>
/// <param name="Total">Cases in the previous period and the same filters.</param>
public sealed record TrendsPrevious(DateOnly From, DateOnly To, long Total);

/// <summary>One row of an answer. A null count (share, change) is suppressed or, for change, has no previous count to compare with.</summary>
public sealed record TrendLine(
    IReadOnlyDictionary<TrendDimension, object> Key, long? Count, double? Share, long? GmcComplaints, long? AllegationsWithdrawn,
    long? PreviousCount, double? Change, bool Suppressed);

/// <summary>The answer to a <see cref="TrendsQuestion"/>, after comparison and suppression.</summary>
public sealed record TrendAnswer(
    TrendsQuestion Question, long Total, long? GmcComplaints, long? AllegationsWithdrawn, TrendsPrevious? Previous,
    IReadOnlyList<TrendLine> Lines, DateTimeOffset? AsOf);

/// <summary>
/// The rules of a trends answer, in one place for <c>GET /api/trends</c> and the dashboard: reading the question,
/// comparing with the previous period, suppressing small numbers, and the CSV.
/// </summary>
public static class TrendAnswers
{
    public const int SmallestSuppression = 2, LargestSuppression = 20;
    public const string ComparePrevious = "previous";

    /// <summary>Reads a question from the query's text, naming each bad parameter; <paramref name="tenantSuppression"/> applies when <paramref name="suppress"/> is not given.</summary>
    public static TrendsQuestion Parse(FieldErrors errors, string? by, string? from, string? to, string? specialty, string? channel, string? concern,
        string? compare, string? suppress, int? tenantSuppression)
    {
        var dimensions = ParseDimensions(by, errors);
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (fromDate > toDate) errors.Add("from", "Must not be after 'to'.");
        var request = new TrendRequest(
            dimensions, fromDate, toDate,
            Specialty: FilterCode<Specialty>(errors, specialty, "specialty"),
            Channel: FilterCode<Channel>(errors, channel, "channel"),
            Concern: FilterCode<Concern>(errors, concern, "concern"));

        var comparing = false;
        if (!string.IsNullOrEmpty(compare))
        {
            if (compare != ComparePrevious) errors.Add("compare", $"{FreeText.Quote(compare)} is not a comparison; expected '{ComparePrevious}'.");
            else
            {
                comparing = true;
                if (from is null or "") errors.Add("from", "Required to compare with the previous period.");
                if (to is null or "") errors.Add("to", "Required to compare with the previous period.");
                if (fromDate == DateOnly.MinValue) errors.Add("from", "There is no period before this date to compare with.");
            }
        }

        var suppressBelow = tenantSuppression;
        if (!string.IsNullOrEmpty(suppress))
        {
            if (int.TryParse(suppress, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= SmallestSuppression and <= LargestSuppression)
                suppressBelow = k;
            else errors.Add("suppress", $"Must be a whole number from {SmallestSuppression} to {LargestSuppression}.");
        }
        return new TrendsQuestion(request, comparing, suppressBelow);
    }

    /// <summary>Counts the question's period (and the previous one, when asked) and applies the suppression.</summary>
    public static async Task<TrendAnswer> AnswerAsync(this IQuerySession session, TrendsQuestion question, CancellationToken ct)
    {
        var request = question.Request;
        var result = await session.RunAsync(request, ct);
        TrendResult? previous = null;
        TrendsPrevious? previousPeriod = null;
        if (question.ComparePrevious && request.From is { } from && request.To is { } to && TrendPeriods.Previous(from, to) is { } period)
        {
            previous = await session.RunAsync(request with { From = period.From, To = period.To }, ct);
            previousPeriod = new TrendsPrevious(period.From, period.To, previous.Total);
        }
        return Answer(question, result, previous, previousPeriod);
    }

    /// <summary>Merges the previous period's rows per key (a key only there gets a row with count 0) and suppresses.</summary>
    public static TrendAnswer Answer(TrendsQuestion question, TrendResult result, TrendResult? previous, TrendsPrevious? previousPeriod)
    {
        var k = question.SuppressBelow;
        var before = previous?.Rows.ToDictionary(r => KeyText(r.Key)) ?? [];
        var seen = new HashSet<string>();
        var lines = new List<TrendLine>();
        foreach (var row in result.Rows)
        {
            var key = KeyText(row.Key);
            seen.Add(key);
            lines.Add(Line(row.Key, row.Count, row.GmcComplaints, row.AllegationsWithdrawn,
                previous is null ? null : before.TryGetValue(key, out var earlier) ? earlier.Count : 0, result.Total, k));
        }
        if (previous is not null)
            foreach (var row in previous.Rows.Where(r => !seen.Contains(KeyText(r.Key))))
                lines.Add(Line(row.Key, 0, 0, 0, row.Count, result.Total, k));

        // Largest first; suppressed counts (all between 1 and k-1) come after the shown ones in key order, so the
        // order reveals nothing among them; then the keys with no cases in this period (only in the previous one).
        var ordered = lines
            .OrderBy(l => l.Count is null ? 1 : l.Count == 0 ? 2 : 0)
            .ThenByDescending(l => l.Count ?? 0)
            .ThenBy(l => KeyText(l.Key), StringComparer.Ordinal)
            .ToList();
        return new TrendAnswer(question, result.Total, Hide(result.GmcComplaints, k), Hide(result.AllegationsWithdrawn, k),
            previousPeriod, ordered, result.Freshness.AsOf);
    }

    static TrendLine Line(IReadOnlyDictionary<TrendDimension, object> key, long count, long complaints, long withdrawals, long? previousCount, long total, int? k)
    {
        double? share = total == 0 ? 0.0 : Math.Round((double)count / total, 4);
        var change = Change(count, previousCount);
        var (shownCount, shownComplaints, shownWithdrawals, shownPrevious) = (Hide(count, k), Hide(complaints, k), Hide(withdrawals, k), Hide(previousCount, k));
        if (shownCount is null) share = null;
        // A change with either count hidden would let the hidden one be worked out from the other.
        if (shownCount is null || (previousCount is not null && shownPrevious is null)) change = null;
        var suppressed = shownCount is null || shownComplaints is null || shownWithdrawals is null || (previousCount is not null && shownPrevious is null);
        return new TrendLine(key, shownCount, share, shownComplaints, shownWithdrawals, shownPrevious, change, suppressed);
    }

    /// <summary>(count - previous) / previous, rounded to 2 decimal places (a whole percentage); null when previous is 0 or unknown.</summary>
    public static double? Change(long count, long? previous) => previous is > 0 and { } p ? Math.Round((double)(count - p) / p, 2) : null;

    /// <summary>The count, or null when it is from 1 to k-1.</summary>
    public static long? Hide(long? count, int? k) => count is { } n && k is { } below && n >= 1 && n < below ? null : count;

    static string KeyText(IReadOnlyDictionary<TrendDimension, object> key) =>
        string.Join('\u001f', key.OrderBy(k => k.Key).Select(k => Convert.ToString(k.Value, CultureInfo.InvariantCulture)));

    /// <summary>The JSON name of a dimension (<c>specialty</c>, <c>year</c>).</summary>
    public static string Name(TrendDimension dimension) => JsonNamingPolicy.CamelCase.ConvertName(dimension.ToString());

    /// <summary>A row as the API answers it: the key under each dimension's name, then the figures.</summary>
    public static Dictionary<string, object?> Row(TrendAnswer answer, TrendLine line)
    {
        var fields = line.Key.ToDictionary(k => Name(k.Key), k => (object?)k.Value);
        fields["count"] = line.Count;
        fields["share"] = line.Share;
        fields["gmcComplaints"] = line.GmcComplaints;
        fields["allegationsWithdrawn"] = line.AllegationsWithdrawn;
        if (answer.Question.ComparePrevious)
        {
            fields["previousCount"] = line.PreviousCount;
            fields["change"] = line.Change;
        }
        if (answer.Question.SuppressBelow is not null) fields["suppressed"] = line.Suppressed;
        return fields;
    }

    /// <summary>
    /// The rows as CSV: the dimension names, <c>count</c>, <c>share</c>, <c>gmcComplaints</c>, <c>allegationsWithdrawn</c>, and
    /// when comparing <c>previousCount</c> and <c>change</c>. A suppressed count reads <c>&lt;k</c>; a null share or change is empty.
    /// </summary>
    public static string Csv(TrendAnswer answer)
    {
        var question = answer.Question;
        var suppressed = $"<{question.SuppressBelow}";
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        List<string> columns = [.. question.Request.By.Select(Name), "count", "share", "gmcComplaints", "allegationsWithdrawn"];
        if (question.ComparePrevious) columns.AddRange(["previousCount", "change"]);
        foreach (var column in columns) csv.WriteField(column);
        csv.NextRecord();
        string Count(long? count) => count is { } n ? n.ToString(CultureInfo.InvariantCulture) : suppressed;
        static string Number(double? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "";
        foreach (var line in answer.Lines)
        {
            foreach (var dimension in question.Request.By) csv.WriteField(Convert.ToString(line.Key[dimension], CultureInfo.InvariantCulture));
            csv.WriteField(Count(line.Count));
            csv.WriteField(Number(line.Share));
            csv.WriteField(Count(line.GmcComplaints));
            csv.WriteField(Count(line.AllegationsWithdrawn));
            if (question.ComparePrevious)
            {
                csv.WriteField(Count(line.PreviousCount));
                csv.WriteField(Number(line.Change));
            }
            csv.NextRecord();
        }
        csv.Flush();
        return text.ToString();
    }

    static string? FilterCode<T>(FieldErrors errors, string? code, string field) where T : struct, Enum =>
        string.IsNullOrEmpty(code) || errors.OptionalCode<T>(code, field) is null ? null : code;

    static IReadOnlyList<TrendDimension> ParseDimensions(string? by, FieldErrors errors)
    {
        var names = (by ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var valid = Enum.GetValues<TrendDimension>().ToDictionary(Name);
        var dimensions = new List<TrendDimension>();
        foreach (var name in names)
        {
            if (valid.TryGetValue(name, out var dimension)) dimensions.Add(dimension);
            else errors.Add("by", $"{FreeText.Quote(name)} is not a dimension; expected one or two of: {string.Join(", ", valid.Keys)}.");
        }
        if (names.Length is 0 or > 2) errors.Add("by", "Give one or two dimensions, comma separated, e.g. 'specialty' or 'specialty,year'.");
        if (dimensions.Distinct().Count() != dimensions.Count) errors.Add("by", "A dimension may appear only once.");
        return dimensions;
    }

    static DateOnly? ParseDate(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(field, CaseDates.NotADateMessage);
        return null;
    }
}
