using System.Collections.Concurrent;
using System.Diagnostics;

namespace Defence.Bench;

/// <summary>What one request did: success, and for failures a short description (status and body).</summary>
public readonly record struct Outcome(bool Ok, string? Failure = null)
{
    public static readonly Outcome Success = new(true);
}

/// <summary>A measured phase: successful operations per second and their latencies.</summary>
public sealed class LoadResult(string name, long ok, long failed, TimeSpan elapsed, long[] latencyTicks, IReadOnlyList<string> failures, bool stoppedByCount)
{
    public string Name { get; } = name;
    public long Ok { get; } = ok;
    public long Failed { get; } = failed;
    public TimeSpan Elapsed { get; } = elapsed;
    /// <summary>The first few failures, for the log.</summary>
    public IReadOnlyList<string> Failures { get; } = failures;
    /// <summary>True when the phase ended because its count bound ran out before its time did.</summary>
    public bool StoppedByCount { get; } = stoppedByCount;
    public double PerSecond => Elapsed > TimeSpan.Zero ? Ok / Elapsed.TotalSeconds : 0;

    readonly long[] _sorted = latencyTicks.Order().ToArray();

    /// <summary>Latency percentile in milliseconds (nearest rank), of successful operations.</summary>
    public double Percentile(double p)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1);
        return _sorted[rank] * 1000.0 / Stopwatch.Frequency;
    }

    public string Latencies => $"p50 {Ms(Percentile(50))} / p95 {Ms(Percentile(95))} / p99 {Ms(Percentile(99))} ms";

    static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms < 10 ? $"{ms:0.00}" : $"{ms:0.0}";
}

/// <summary>
/// Runs N workers against one operation for at most a given time and a given count, closed loop
/// (each worker sends its next request when the previous answered) or paced to a total rate.
/// </summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(
        string name, int workers, TimeSpan duration, long maxOperations,
        Func<int, CancellationToken, Task<Outcome>> operation, double? ratePerSecond = null, CancellationToken ct = default)
    {
        long issued = 0, ok = 0, failed = 0;
        var failures = new ConcurrentQueue<string>();
        var latencies = new List<long>[workers];
        var clock = Stopwatch.StartNew();
        var startedAt = Stopwatch.GetTimestamp();
        // Requests in flight when the time is up may take this long to answer before they are abandoned.
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        hardStop.CancelAfter(duration + TimeSpan.FromSeconds(30));

        async Task Worker(int worker)
        {
            var mine = latencies[worker] = new List<long>(4096);
            while (clock.Elapsed < duration && !hardStop.IsCancellationRequested)
            {
                var slot = Interlocked.Increment(ref issued);
                if (slot > maxOperations) break;
                long? behindSince = null;
                if (ratePerSecond is { } rate)
                {
                    var due = TimeSpan.FromSeconds((slot - 1) / rate);
                    if (due >= duration) break;
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, hardStop.Token);
                    else behindSince = startedAt + (long)(due.TotalSeconds * Stopwatch.Frequency);
                }

                // Paced, a request the client is already late for (every worker was busy waiting for answers) is
                // timed from when it was due: slow answers delay the requests queued behind them, and that wait
                // counts (no coordinated omission). A request sent on time is timed from when it is sent, so the
                // client's own timer waking late is not charged to the API.
                var started = behindSince is { } dueAt ? Math.Min(dueAt, Stopwatch.GetTimestamp()) : Stopwatch.GetTimestamp();
                Outcome outcome;
                try
                {
                    outcome = await operation(worker, hardStop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !hardStop.IsCancellationRequested)
                {
                    outcome = new Outcome(false, $"{e.GetType().Name}: {e.Message}");
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                var took = Stopwatch.GetTimestamp() - started;

                if (outcome.Ok)
                {
                    Interlocked.Increment(ref ok);
                    mine.Add(took);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    if (failures.Count < 5) failures.Enqueue(outcome.Failure ?? "failed");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => Worker(w), CancellationToken.None)));
        var elapsed = clock.Elapsed;
        return new LoadResult(name, ok, failed, elapsed, latencies.SelectMany(l => l ?? []).ToArray(), failures.ToArray(),
            stoppedByCount: Interlocked.Read(ref issued) > maxOperations && elapsed < duration);
    }
}
