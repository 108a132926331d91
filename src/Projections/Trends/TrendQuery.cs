using System.Text;
using Marten;
using Npgsql;
using Weasel.Postgresql;

namespace Defence.Projections.Trends;

/// <summary>A dimension trends can be grouped by (API.md, "Trends").</summary>
public enum TrendDimension { Specialty, Channel, Concern, Year }

/// <summary>A trends question; codes are already validated.</summary>
public sealed record TrendRequest(
    IReadOnlyList<TrendDimension> By,
    DateOnly? From = null, DateOnly? To = null,
    string? Specialty = null, string? Channel = null, string? Concern = null);

/// <summary>One group: its key per dimension (codes, or the year as a number) and its counts.</summary>
public sealed record TrendRow(IReadOnlyDictionary<TrendDimension, object> Key, long Count, long GmcComplaints, long AllegationsWithdrawn);

public sealed record TrendResult(long Total, long GmcComplaints, long AllegationsWithdrawn, IReadOnlyList<TrendRow> Rows);

/// <summary>
/// Answers a trends question from the trend cells with two statements whose text depends only on
/// the shape of the question, never on the data: the total, and the grouped rows, largest first.
/// </summary>
public static class TrendQuery
{
    public static (string Sql, NpgsqlParameter[] Parameters) Build(TrendRequest request, string tenant)
    {
        var dimensions = request.By.Select(Expression).ToArray();
        var filter = new StringBuilder("c.tenant_id = @tenant");
        var parameters = new List<NpgsqlParameter> { new("tenant", tenant) };
        void Where(string condition, string name, object? value)
        {
            if (value is null) return;
            filter.Append(" and ").Append(condition);
            parameters.Add(new NpgsqlParameter(name, value));
        }
        Where("c.occurred_on >= @from", "from", request.From);
        Where("c.occurred_on <= @to", "to", request.To);
        Where("c.specialty = @specialty", "specialty", request.Specialty);
        Where("c.concern = @concern", "concern", request.Concern);
        Where("@channel = any(c.channels)", "channel", request.Channel);

        var unnest = request.By.Contains(TrendDimension.Channel) ? " cross join lateral unnest(c.channels) as ch(channel)" : "";
        var keys = string.Join(", ", dimensions);
        var sql =
            $"select sum(c.cases), sum(c.gmc_complaints), sum(c.withdrawals) from {TrendTables.Cells} c where {filter};\n" +
            $"select {keys}, sum(c.cases) as n, sum(c.gmc_complaints), sum(c.withdrawals) from {TrendTables.Cells} c{unnest} " +
            $"where {filter} group by {keys} order by n desc, {keys}";
        return (sql, parameters.ToArray());
    }

    public static async Task<TrendResult> RunAsync(this IQuerySession session, TrendRequest request, CancellationToken ct)
    {
        var (sql, parameters) = Build(request, session.TenantId);
        await using var connection = ((PostgresqlDatabase)session.Database).CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);

        await reader.ReadAsync(ct);
        var total = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
        var complaints = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        var withdrawals = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);

        await reader.NextResultAsync(ct);
        var rows = new List<TrendRow>();
        var width = request.By.Count;
        while (await reader.ReadAsync(ct))
        {
            var key = new Dictionary<TrendDimension, object>();
            for (var i = 0; i < width; i++) key[request.By[i]] = reader.GetValue(i);
            rows.Add(new TrendRow(key, reader.GetInt64(width), reader.GetInt64(width + 1), reader.GetInt64(width + 2)));
        }
        return new TrendResult(total, complaints, withdrawals, rows);
    }

    static string Expression(TrendDimension dimension) => dimension switch
    {
        TrendDimension.Specialty => "c.specialty",
        TrendDimension.Concern => "c.concern",
        TrendDimension.Channel => "ch.channel",
        TrendDimension.Year => "extract(year from c.occurred_on)::int",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    };
}
