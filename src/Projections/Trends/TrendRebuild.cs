using System.Diagnostics;
using Marten;
using Npgsql;

namespace Defence.Projections.Trends;

/// <param name="Cells">Cells written (day, month and year cells together).</param>
public sealed record TrendRebuildResult(string? Tenant, long UpToSequence, long Cases, long Cells, TimeSpan Took);

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
        await using var connection = await store.Storage.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // Hold the projection's progress row: the daemon cannot record progress past it until this commits,
        // so the rebuild covers exactly the events up to that point and the daemon carries on after them.
        // No row yet means the daemon has applied nothing, so there is nothing to rebuild up to.
        var shard = $"{TrendProjection.ProjectionName}:All";
        var ceiling = (long)(await Scalar(connection, $"select last_seq_id from {schema}.mt_event_progression where name = @shard for update", ct, ("shard", shard)) ?? 0L);

        const string tenantFilter = "(@tenant::varchar is null or tenant_id = @tenant)";
        object tenantValue = (object?)tenant ?? DBNull.Value;
        await Execute(connection, $"delete from {TrendTables.Cells} where {tenantFilter}", ct, ("tenant", tenantValue));

        // One row per case (its first event), with its complaint and withdrawal counts, then summed into
        // the day, month and year cells of its concern and of the roll-up, per channel too.
        var measures = string.Join(", ", TrendTables.Channels.SelectMany(c => new[]
        {
            $"sum(k.has_{c.Column})", $"sum(k.has_{c.Column} * k.gmc)", $"sum(k.has_{c.Column} * k.withdrawals)",
        }));
        var cells = await Execute(connection,
            $"insert into {TrendTables.Cells} (tenant_id, grain, period, specialty, concern, {string.Join(", ", TrendTables.Measures)}) " +
            $"select k.tenant_id, p.grain, p.period, k.specialty, kc.concern, count(*), sum(k.gmc), sum(k.withdrawals), {measures} " +
            "from (select r.tenant_id, r.data->>'specialty' as specialty, r.data->>'concern' as concern, (r.data->>'occurredOn')::date as day, " +
            "coalesce(h.gmc, 0) as gmc, coalesce(h.withdrawals, 0) as withdrawals, " +
            string.Join(", ", TrendTables.Channels.Select(c => $"jsonb_exists(r.data->'channels', '{c.Code}')::int as has_{c.Column}")) + " " +
            $"from {schema}.mt_events r left join (" +
            "  select tenant_id, stream_id, count(*) filter (where type = 'gmc_complaint_linked') as gmc, " +
            "         count(*) filter (where type = 'allegation_withdrawn') as withdrawals " +
            $"  from {schema}.mt_events where type in ('gmc_complaint_linked', 'allegation_withdrawn') and seq_id <= @ceiling and {tenantFilter} " +
            "  group by tenant_id, stream_id) h on h.tenant_id = r.tenant_id and h.stream_id = r.stream_id " +
            $"where r.type in ('report_received', 'case_imported') and r.version = 1 and r.seq_id <= @ceiling and (@tenant::varchar is null or r.tenant_id = @tenant)) k " +
            $"cross join lateral {TrendTables.PeriodsOf("k.day")} as p(grain, period) " +
            $"cross join lateral {TrendTables.ConcernsOf("k.concern")} as kc(concern) " +
            "group by k.tenant_id, p.grain, p.period, k.specialty, kc.concern",
            ct, ("ceiling", ceiling), ("tenant", tenantValue));

        var cases = (long)(await Scalar(connection,
            $"select coalesce(sum(cases), 0) from {TrendTables.Cells} where grain = '{TrendTables.Year}' and concern = '{TrendTables.AllConcerns}' and {tenantFilter}", ct, ("tenant", tenantValue)) ?? 0L);

        await transaction.CommitAsync(ct);
        return new TrendRebuildResult(tenant, ceiling, cases, cells, clock.Elapsed);
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
