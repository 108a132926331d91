using Marten;
using Marten.Storage;
using Npgsql;

namespace Defence.Projections.Trends;

/// <summary>How far the trend projection has got through the event store.</summary>
/// <param name="ProcessedSequence">The last event sequence the projection has applied.</param>
/// <param name="HighWaterSequence">The newest event sequence in the store.</param>
/// <param name="AsOf">
/// The statistics include every event up to this time: now when the projection is caught up,
/// else the time of the last event it applied; null before it has applied any.
/// </param>
/// <param name="Lag">How long the oldest event not yet applied has been waiting (zero when caught up).</param>
/// <param name="SinceProgress">How long ago the projection last applied events; null before it ever has.</param>
public sealed record Freshness(long ProcessedSequence, long HighWaterSequence, DateTimeOffset? AsOf, TimeSpan Lag, TimeSpan? SinceProgress)
{
    public long EventsBehind => Math.Max(0, HighWaterSequence - ProcessedSequence);

    /// <summary>
    /// Behind and not moving: events have waited longer than <paramref name="limit"/> and nothing was applied in that
    /// time. A projection working through a large backlog is behind but advancing, which is not a stall.
    /// </summary>
    public bool StalledFor(TimeSpan limit) => EventsBehind > 0 && Lag > limit && (SinceProgress is null || SinceProgress > limit);
}

public static class ProjectionFreshness
{
    public static Task<Freshness> TrendFreshnessAsync(this IQuerySession session, CancellationToken ct) =>
        session.DocumentStore.TrendFreshnessAsync(session.Database, ct);

    /// <summary>How far the projection has got in one database (each database of the store has its own).</summary>
    public static async Task<Freshness> TrendFreshnessAsync(this IDocumentStore store, IMartenDatabase database, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(Sql(store.Options.Events.DatabaseSchemaName), connection);
        command.Parameters.Add(ShardParameter());
        await command.PrepareAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return Read(reader);
    }

    /// <summary>
    /// One row: the applied sequence, the newest sequence, the applied event's time, the first unapplied event's time,
    /// now, and when the projection last applied events.
    /// </summary>
    internal static string Sql(string schema) =>
        $"with p as (select coalesce((select last_seq_id from {schema}.mt_event_progression where name = @shard), 0) as seq, " +
        $"(select last_updated from {schema}.mt_event_progression where name = @shard) as updated), " +
        $"h as (select coalesce(max(seq_id), 0) as seq from {schema}.mt_events) " +
        $"select p.seq, h.seq, (select timestamp from {schema}.mt_events where seq_id = p.seq), " +
        // The first event not yet applied, by sequence: one index probe, however far behind.
        $"(select timestamp from {schema}.mt_events e where e.seq_id > p.seq order by e.seq_id limit 1), now(), p.updated from p, h";

    internal static NpgsqlParameter ShardParameter() => new("shard", $"{TrendProjection.ProjectionName}:All");

    /// <summary>Reads the row of <see cref="Sql"/> the reader is on.</summary>
    internal static Freshness Read(NpgsqlDataReader reader)
    {
        var processed = reader.GetInt64(0);
        var highWater = reader.GetInt64(1);
        var now = reader.GetFieldValue<DateTimeOffset>(4);
        var caughtUp = processed >= highWater;
        DateTimeOffset? asOf = caughtUp ? now : reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
        var lag = caughtUp || reader.IsDBNull(3) ? TimeSpan.Zero : now - reader.GetFieldValue<DateTimeOffset>(3);
        TimeSpan? sinceProgress = reader.IsDBNull(5) ? null : now - reader.GetFieldValue<DateTimeOffset>(5);
        return new Freshness(processed, highWater, asOf, lag, sinceProgress);
    }
}
