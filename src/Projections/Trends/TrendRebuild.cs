using System.Diagnostics;
using Marten;
using Marten.Storage;
using Npgsql;

namespace Defence.Projections.Trends;

/// <param name="UpToSequence">The event sequence the cells were rebuilt up to; with several databases, the sum of each one's.</param>
/// <param name="Cells">Cells written (day, month and year cells together).</param>
public sealed record TrendRebuildResult(string? Tenant, long UpToSequence, long Cases, long Cells, TimeSpan Took);

/// <summary>
/// Rebuilds the trend cells from the events, for one tenant (in its database) or all (in every database), each
/// database in one transaction, with the one statement that also counts each page of the projection
/// (<see cref="TrendTables.AddEvents"/>) run over every event at once.
/// </summary>
public static class TrendRebuild
{
    public static async Task<TrendRebuildResult> RebuildTrendsAsync(this IDocumentStore store, string? tenant, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<IMartenDatabase> databases = tenant is null ? await store.Storage.AllDatabases() : [await store.Storage.FindOrCreateDatabase(tenant)];
        long ceilings = 0, cases = 0, cells = 0;
        foreach (var database in databases)
        {
            var (ceiling, databaseCases, databaseCells) = await RebuildAsync(TrendTables.Of(store), database, tenant, ct);
            (ceilings, cases, cells) = (ceilings + ceiling, cases + databaseCases, cells + databaseCells);
        }
        return new TrendRebuildResult(tenant, ceilings, cases, cells, clock.Elapsed);
    }

    static async Task<(long Ceiling, long Cases, long Cells)> RebuildAsync(TrendTables tables, IMartenDatabase database, string? tenant, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // Hold the projection's progress row: the daemon cannot record progress past it until this commits,
        // so the rebuild covers exactly the events up to that point and the daemon carries on after them.
        // No row yet means the daemon has applied nothing, so there is nothing to rebuild up to.
        var shard = $"{TrendProjection.ProjectionName}:All";
        var ceiling = (long)(await Scalar(connection, $"select last_seq_id from {tables.EventProgression} where name = @shard for update", ct, ("shard", shard)) ?? 0L);

        const string tenantFilter = "(@tenant::varchar is null or tenant_id = @tenant)";
        object tenantValue = (object?)tenant ?? DBNull.Value;
        await Execute(connection, $"delete from {tables.Cells} where {tenantFilter}", ct, ("tenant", tenantValue));
        var cells = await Execute(connection, tables.AddEvents("e.seq_id <= @ceiling and (@tenant::varchar is null or e.tenant_id = @tenant)"),
            ct, ("ceiling", ceiling), ("tenant", tenantValue));

        var cases = (long)(await Scalar(connection,
            $"select coalesce(sum(cases), 0) from {tables.Cells} where grain = '{TrendTables.Year}' and concern = '{TrendTables.AllConcerns}' and {tenantFilter}", ct, ("tenant", tenantValue)) ?? 0L);

        await transaction.CommitAsync(ct);
        return (ceiling, cases, cells);
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
