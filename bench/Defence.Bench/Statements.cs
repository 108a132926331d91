using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Defence.Bench;

/// <summary>With <c>--pg-stat-statements</c>: what the database spent each phase's time on.</summary>
public sealed partial class Statements(string connectionString, bool enabled)
{
    public async Task ResetAsync(CancellationToken ct)
    {
        if (!enabled) return;
        await BenchDatabase.ExecuteAsync(connectionString, "select pg_stat_statements_reset()", ct);
    }

    /// <summary>The top statements by total execution time since the last reset, as markdown lines.</summary>
    public async Task<string?> TopAsync(int count, CancellationToken ct)
    {
        if (!enabled) return null;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "select calls, total_exec_time, mean_exec_time, rows, query from pg_stat_statements " +
            "where dbid = (select oid from pg_database where datname = current_database()) " +
            "order by total_exec_time desc limit @count", connection);
        command.Parameters.AddWithValue("count", count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var text = new StringBuilder();
        text.AppendLine("| calls | total ms | mean ms | rows | statement |").AppendLine("|---:|---:|---:|---:|---|");
        while (await reader.ReadAsync(ct))
        {
            var query = Spaces().Replace(reader.GetString(4), " ").Replace("|", "\\|", StringComparison.Ordinal);
            if (query.Length > 160) query = query[..160] + "...";
            text.AppendLine($"| {reader.GetInt64(0):N0} | {reader.GetDouble(1):N0} | {reader.GetDouble(2):N3} | {reader.GetInt64(3):N0} | `{query}` |");
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
