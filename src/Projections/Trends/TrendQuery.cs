using System.Text;
using Marten;
using Npgsql;

namespace Defence.Projections.Trends;

/// <summary>A dimension trends can be grouped by (docs/http-api.md, "Trends").</summary>
public enum TrendDimension { Specialty, Channel, Concern, Year }

/// <summary>A trends question; codes are already validated.</summary>
public sealed record TrendRequest(
    IReadOnlyList<TrendDimension> By,
    DateOnly? From = null, DateOnly? To = null,
    string? Specialty = null, string? Channel = null, string? Concern = null);

/// <summary>One group: its key per dimension (codes, or the year as a number) and its counts.</summary>
public sealed record TrendRow(IReadOnlyDictionary<TrendDimension, object> Key, long Count, long GmcComplaints, long AllegationsWithdrawn);

/// <param name="Freshness">How far the projection had got, read before the counts, so the counts include at least that much.</param>
public sealed record TrendResult(long Total, long GmcComplaints, long AllegationsWithdrawn, IReadOnlyList<TrendRow> Rows, Freshness Freshness);

/// <summary>
/// Answers a trends question from the trend cells: the grouped rows (largest first) and the total, in
/// statements whose text depends only on the shape of the question, never on the data, sent in one round
/// trip after the projection's freshness.
/// </summary>
public static class TrendQuery
{
    /// <summary>
    /// The statement(s) of a question. The grouped statement's rows carry a last column, 1 on the total's row.
    /// The total is a grouping set of the same statement (one pass over the cells) unless the rows are per channel
    /// but the total is not: then a case with several channels must count once, so the total is read from the
    /// cells' own counts by a statement of its own, sent first (SeparateTotal).
    /// </summary>
    public static (string Sql, NpgsqlParameter[] Parameters, bool SeparateTotal) Build(TrendRequest request, string tenant, TrendTables tables)
    {
        var parameters = new List<NpgsqlParameter> { new("tenant", tenant) };
        var filter = new StringBuilder("c.tenant_id = @tenant and ").Append(Period(request.From, request.To, parameters));
        void Where(string condition, string name, object? value)
        {
            if (value is null) return;
            filter.Append(" and ").Append(condition);
            parameters.Add(new NpgsqlParameter(name, value));
        }
        Where("c.specialty = @specialty", "specialty", request.Specialty);
        Where("c.concern = @concern", "concern", request.Concern);
        // Without a concern filter: by concern, the concerns' own cells; otherwise their roll-up, a fraction of the cells.
        if (request.Concern is null)
            filter.Append(request.By.Contains(TrendDimension.Concern)
                ? $" and c.concern <> '{TrendTables.AllConcerns}'"
                : $" and c.concern = '{TrendTables.AllConcerns}'");
        Where("ch.channel = @channel", "channel", request.Channel);

        // Channels are columns of a cell; a question about channels turns them into rows.
        var byChannel = request.By.Contains(TrendDimension.Channel) || request.Channel is not null;
        var source = byChannel ? $"{tables.Cells} c cross join lateral {Unpivot} as ch(channel, n, g, w)" : $"{tables.Cells} c";
        var (n, g, w) = byChannel ? ("ch.n", "ch.g", "ch.w") : ("c.cases", "c.gmc", "c.withdrawals");
        var keys = string.Join(", ", request.By.Select(Expression));

        // A case counts once in the total even when it has several channels: unless a channel is asked for,
        // the total of rows by channel comes from the cells' own counts.
        if (byChannel && request.Channel is null)
        {
            var sql =
                $"select sum(c.cases), sum(c.gmc), sum(c.withdrawals) from {tables.Cells} c where {filter};\n" +
                $"select {keys}, sum({n}) as n, sum({g}), sum({w}), 0 from {source} where {filter} " +
                $"group by {keys} having sum({n}) > 0 order by n desc, {keys}";
            return (sql, parameters.ToArray(), true);
        }

        var first = Expression(request.By[0]);
        var grouped =
            $"select {keys}, sum({n}) as n, sum({g}), sum({w}), grouping({first}) as is_total from {source} where {filter} " +
            $"group by grouping sets (({keys}), ()) having grouping({first}) = 1 or sum({n}) > 0 order by is_total desc, n desc, {keys}";
        return (grouped, parameters.ToArray(), false);
    }

    static readonly string Unpivot =
        "(values " + string.Join(", ", TrendTables.Channels.Select(c => $"('{c.Code}', c.c_{c.Column}, c.g_{c.Column}, c.w_{c.Column})")) + ")";

    /// <summary>
    /// Covers [from, to] with cells: days up to the first month boundary, months up to the first year
    /// boundary, whole years, then months and days to the end. Always five ranges (empty ones never
    /// match), so the statement's text is the same for every period.
    /// </summary>
    static string Period(DateOnly? from, DateOnly? to, List<NpgsqlParameter> parameters)
    {
        var ranges = Cover(Max(from ?? Earliest, Earliest), Min(to ?? Latest, Latest));
        var conditions = ranges.Select((r, i) =>
        {
            parameters.Add(new NpgsqlParameter($"p{i}from", r.First));
            parameters.Add(new NpgsqlParameter($"p{i}to", r.Last));
            return $"(c.grain = '{r.Grain}' and c.period between @p{i}from and @p{i}to)";
        });
        return "(" + string.Join(" or ", conditions) + ")";
    }

    /// <summary>The dates a period is clamped to: no incident is dated before the first or after the last.</summary>
    static readonly DateOnly Earliest = Domain.Rules.CaseDates.Earliest, Latest = new(9998, 12, 31);

    /// <summary>The five (grain, first period, last period) ranges covering [first, last]; an empty one has First &gt; Last.</summary>
    public static IReadOnlyList<(char Grain, DateOnly First, DateOnly Last)> Cover(DateOnly first, DateOnly last)
    {
        // A period outside the dates any case can have (to=0001-01-01, from=9999-12-31) covers no cell.
        if (first > last || first < Earliest || last > Latest)
            return [.. Enumerable.Repeat((TrendTables.Day, Latest, Earliest), 5)];
        static DateOnly MonthStart(DateOnly d) => new(d.Year, d.Month, 1);
        static DateOnly MonthEnd(DateOnly d) => MonthStart(d).AddMonths(1).AddDays(-1);
        static DateOnly YearEnd(DateOnly d) => new(d.Year, 12, 31);
        // The last day of the last whole month (year) that ends by 'last'.
        var fullMonthsEnd = last == MonthEnd(last) ? last : MonthStart(last).AddDays(-1);
        var fullYearsEnd = last == YearEnd(last) ? last : new DateOnly(last.Year, 1, 1).AddDays(-1);

        var ranges = new List<(char, DateOnly, DateOnly)>(5);
        var cursor = first;
        void Take(char grain, DateOnly end, Func<DateOnly, DateOnly> periodOf)
        {
            if (end >= cursor)
            {
                ranges.Add((grain, periodOf(cursor), periodOf(end)));
                cursor = end.AddDays(1);
            }
            else ranges.Add((grain, Latest, Earliest));
        }

        Take(TrendTables.Day, cursor.Day == 1 && MonthEnd(cursor) <= last ? cursor.AddDays(-1) : Min(MonthEnd(cursor), last), d => d);
        Take(TrendTables.Month, cursor.DayOfYear == 1 && YearEnd(cursor) <= last ? cursor.AddDays(-1) : Min(YearEnd(cursor), fullMonthsEnd), MonthStart);
        Take(TrendTables.Year, fullYearsEnd, d => new DateOnly(d.Year, 1, 1));
        Take(TrendTables.Month, fullMonthsEnd, MonthStart);
        Take(TrendTables.Day, last, d => d);
        return ranges;
    }

    static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    public static async Task<TrendResult> RunAsync(this IQuerySession session, TrendRequest request, CancellationToken ct)
    {
        var (sql, parameters, separateTotal) = Build(request, session.TenantId, TrendTables.Of(session.DocumentStore));
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"{ProjectionFreshness.Sql(session.DocumentStore.Options.Events.DatabaseSchemaName)};\n{sql}", connection);
        command.Parameters.Add(ProjectionFreshness.ShardParameter());
        command.Parameters.AddRange(parameters);
        // Prepared once per pooled connection: planning the five-range filter costs more than running it.
        await command.PrepareAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);

        await reader.ReadAsync(ct);
        var freshness = ProjectionFreshness.Read(reader);
        long total = 0, complaints = 0, withdrawals = 0;
        static long Count(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? 0 : reader.GetInt64(column);

        if (separateTotal)
        {
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            (total, complaints, withdrawals) = (Count(reader, 0), Count(reader, 1), Count(reader, 2));
        }

        await reader.NextResultAsync(ct);
        var rows = new List<TrendRow>();
        var width = request.By.Count;
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetInt32(width + 3) == 1)
            {
                (total, complaints, withdrawals) = (Count(reader, width), Count(reader, width + 1), Count(reader, width + 2));
                continue;
            }
            var key = new Dictionary<TrendDimension, object>();
            for (var i = 0; i < width; i++) key[request.By[i]] = reader.GetValue(i);
            rows.Add(new TrendRow(key, reader.GetInt64(width), reader.GetInt64(width + 1), reader.GetInt64(width + 2)));
        }
        return new TrendResult(total, complaints, withdrawals, rows, freshness);
    }

    static string Expression(TrendDimension dimension) => dimension switch
    {
        TrendDimension.Specialty => "c.specialty",
        TrendDimension.Concern => "c.concern",
        TrendDimension.Channel => "ch.channel",
        TrendDimension.Year => "extract(year from c.period)::int",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    };
}
