using System.Diagnostics;
using Marten;
using Npgsql;
using Weasel.Postgresql;

namespace Defence.Projections.Trends;

public sealed record TrendRebuildResult(string? Tenant, long UpToSequence, long Cases, TimeSpan Took);

/// <summary>
/// Rebuilds the trend cells from the events, for one tenant or all, in one transaction and in set-based
/// SQL (a full rebuild of a million events takes seconds, not an event-by-event replay). It counts the
/// same things as <see cref="TrendProjection"/>; a test checks that a rebuild reproduces its numbers.
/// </summary>
public static class TrendRebuild
{
    public static async Task<TrendRebuildResult> RebuildTrendsAsync(this IDocumentStore store, string? tenant, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = ((PostgresqlDatabase)store.Storage.Database).CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // Hold the projection's progress row: the daemon cannot record progress past it until this commits,
        // so the rebuild covers exactly the events up to that point and the daemon carries on after them.
        // No row yet means the daemon has applied nothing, so there is nothing to rebuild up to.
        var shard = $"{TrendProjection.ProjectionName}:All";
        var ceiling = (long)(await Scalar(connection, $"select last_seq_id from {schema}.mt_event_progression where name = @shard for update", ct, ("shard", shard)) ?? 0L);

        const string tenantFilter = "(@tenant::varchar is null or tenant_id = @tenant)";
        object tenantValue = (object?)tenant ?? DBNull.Value;
        await Execute(connection, $"delete from {TrendTables.Cells} where {tenantFilter}", ct, ("tenant", tenantValue));
        await Execute(connection, $"delete from {TrendTables.CaseCells} where {tenantFilter}", ct, ("tenant", tenantValue));

        var cases = await Execute(connection,
            $"insert into {TrendTables.CaseCells} (tenant_id, case_id, specialty, concern, channels, occurred_on) " +
            "select tenant_id, stream_id, data->>'specialty', data->>'concern', " +
            "array(select distinct c collate \"C\" from jsonb_array_elements_text(data->'channels') c order by 1)::varchar[], " +
            "(data->>'occurredOn')::date " +
            $"from {schema}.mt_events where type in ('report_received', 'case_imported') and seq_id <= @ceiling and {tenantFilter} " +
            "on conflict do nothing", ct, ("ceiling", ceiling), ("tenant", tenantValue));

        await Execute(connection,
            $"insert into {TrendTables.Cells} (tenant_id, specialty, concern, channels, occurred_on, cases, gmc_complaints, withdrawals) " +
            "select c.tenant_id, c.specialty, c.concern, c.channels, c.occurred_on, count(*), coalesce(sum(h.complaints), 0), coalesce(sum(h.withdrawals), 0) " +
            $"from {TrendTables.CaseCells} c left join (" +
            "  select tenant_id, stream_id, count(*) filter (where type = 'gmc_complaint_linked') as complaints, " +
            "         count(*) filter (where type = 'allegation_withdrawn') as withdrawals " +
            $"  from {schema}.mt_events where type in ('gmc_complaint_linked', 'allegation_withdrawn') and seq_id <= @ceiling and {tenantFilter} " +
            "  group by tenant_id, stream_id) h on h.tenant_id = c.tenant_id and h.stream_id = c.case_id " +
            $"where (@tenant::varchar is null or c.tenant_id = @tenant) " +
            "group by c.tenant_id, c.specialty, c.concern, c.channels, c.occurred_on", ct, ("ceiling", ceiling), ("tenant", tenantValue));

        await transaction.CommitAsync(ct);
        return new TrendRebuildResult(tenant, ceiling, cases, clock.Elapsed);
    }

    static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
