using System.Diagnostics;
using Defence.Projections.Trends;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Npgsql;

namespace Defence.Bench;

public sealed record CatchUp(long FromSequence, long ToSequence, double EventsPerSecond, TimeSpan Took, TimeSpan SinceApiStart, bool CaughtUp, long HighWater);

public sealed record LagResult(double P50, double P99, double Max, long MaxEventsBehind, int Samples);

/// <summary>
/// Looks at the trend projection from outside the API: its progress, its lag (with the API's own
/// <see cref="ProjectionFreshness"/> query) and a full rebuild (<see cref="TrendRebuild"/>), through a
/// Marten store over the API's schema that changes nothing in it.
/// </summary>
public sealed class ProjectionProbe : IDisposable
{
    /// <summary>The API's schema (Startup.cs: DatabaseSchemaName = "defence").</summary>
    public const string Schema = "defence";

    readonly string _connectionString;

    public ProjectionProbe(string connectionString)
    {
        _connectionString = connectionString;
        Store = DocumentStore.For(options =>
        {
            options.Connection(connectionString);
            options.DatabaseSchemaName = Schema;
            options.Events.TenancyStyle = TenancyStyle.Conjoined;
            options.Events.StreamIdentity = StreamIdentity.AsGuid;
            // The API owns the schema; this store only reads, and rebuilds through TrendRebuild's own SQL.
            options.AutoCreateSchemaObjects = AutoCreate.None;
        });
    }

    public IDocumentStore Store { get; }

    static string Shard => $"{TrendProjection.ProjectionName}:All";

    /// <summary>(events applied by the trend projection, newest event sequence).</summary>
    public async Task<(long Processed, long HighWater)> ProgressAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {Schema}.mt_event_progression where name = @shard), 0), " +
            $"coalesce((select max(seq_id) from {Schema}.mt_events), 0)", connection);
        command.Parameters.AddWithValue("shard", Shard);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<long> EventCountAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select count(*) from {Schema}.mt_events", connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Waits (polling every 200 ms, at most <paramref name="timeout"/>) until the projection has applied every event.</summary>
    public async Task<bool> WaitCaughtUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var (processed, high) = await ProgressAsync(ct);
            if (processed >= high) return true;
            await Task.Delay(200, ct);
        }
        return false;
    }

    /// <summary>
    /// Follows the daemon from API start until it has applied every event up to <paramref name="target"/>:
    /// the rate is measured from the first sample that shows progress to the sample that shows it done,
    /// so start-up and leader election are not counted (they are reported as <see cref="CatchUp.SinceApiStart"/>).
    /// </summary>
    public async Task<CatchUp> FollowCatchUpAsync(DateTime apiStartedAt, long target, TimeSpan timeout, Action<string> log, CancellationToken ct)
    {
        var (initial, high) = await ProgressAsync(ct);
        long firstProgress = -1;
        DateTime firstAt = default;
        var clock = Stopwatch.StartNew();
        var nextLog = TimeSpan.FromSeconds(10);
        long processed = initial;
        while (clock.Elapsed < timeout)
        {
            (processed, high) = await ProgressAsync(ct);
            var now = DateTime.UtcNow;
            if (firstProgress < 0 && processed > initial) (firstProgress, firstAt) = (processed, now);
            if (processed >= target)
            {
                var took = firstProgress < 0 ? TimeSpan.Zero : now - firstAt;
                var rate = took > TimeSpan.Zero ? (processed - firstProgress) / took.TotalSeconds : double.NaN;
                return new CatchUp(initial, processed, rate, took, now - apiStartedAt, true, high);
            }
            if (clock.Elapsed >= nextLog)
            {
                log($"  catch-up: {processed:N0} of {target:N0} events applied");
                nextLog += TimeSpan.FromSeconds(10);
            }
            await Task.Delay(200, ct);
        }
        var end = DateTime.UtcNow;
        var partial = firstProgress < 0 ? TimeSpan.Zero : end - firstAt;
        return new CatchUp(initial, processed, partial > TimeSpan.Zero ? (processed - firstProgress) / partial.TotalSeconds : double.NaN,
            partial, end - apiStartedAt, false, high);
    }

    /// <summary>Samples the lag every <paramref name="interval"/> with the API's own freshness query, for <paramref name="duration"/>.</summary>
    public async Task<LagResult> SampleLagAsync(TimeSpan duration, TimeSpan interval, CancellationToken ct)
    {
        var lags = new List<double>();
        long maxBehind = 0;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(interval);
        while (clock.Elapsed < duration && lags.Count < 1_000_000 && await timer.WaitForNextTickAsync(ct))
        {
            await using var session = Store.QuerySession();
            var freshness = await session.TrendFreshnessAsync(ct);
            lags.Add(freshness.Lag.TotalSeconds);
            maxBehind = Math.Max(maxBehind, freshness.EventsBehind);
        }
        lags.Sort();
        double P(double p) => lags.Count == 0 ? double.NaN : lags[Math.Clamp((int)Math.Ceiling(p / 100 * lags.Count) - 1, 0, lags.Count - 1)];
        return new LagResult(P(50), P(99), lags.Count == 0 ? double.NaN : lags[^1], maxBehind, lags.Count);
    }

    public Task<TrendRebuildResult> RebuildAsync(CancellationToken ct) => Store.RebuildTrendsAsync(null, ct);

    public void Dispose() => Store.Dispose();
}
