using System.Globalization;
using System.Text;
using Defence.Projections.Trends;

namespace Defence.Bench;

/// <summary>Everything one run measured; a figure stays null when its phase did not run.</summary>
public sealed class Results
{
    public DateTime StartedAt { get; } = DateTime.UtcNow;
    public IReadOnlyDictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();
    public string DatabaseSource { get; set; } = "";
    public int PayloadBytes { get; set; }
    public LoadResult? Baseline { get; set; }
    /// <summary>pgbench running the baseline's INSERT: the ceiling without the .NET client's CPU.</summary>
    public PgBenchResult? PgBench { get; set; }
    public TimeSpan? ApiStart { get; set; }
    public long SmallEvents { get; set; }
    public LoadResult? SmallCaseRead { get; set; }
    public LoadResult? SmallTrends { get; set; }
    /// <summary>The same reads paced at half the rate the saturated phase reached: the latencies the targets judge.</summary>
    public LoadResult? SmallCaseReadPaced { get; set; }
    public LoadResult? SmallTrendsPaced { get; set; }
    /// <summary>GET /health paced like the case reads: the HTTP stack's and the machine's own latency, not a target.</summary>
    public LoadResult? HealthPaced { get; set; }
    public LoadResult? Append { get; set; }
    public LoadResult? Command { get; set; }
    public double LagRate { get; set; }
    public LoadResult? LagLoad { get; set; }
    public LagResult? Lag { get; set; }
    public long SeededEvents { get; set; }
    public TimeSpan? SeedTook { get; set; }
    public CatchUp? CatchUp { get; set; }
    public TrendRebuildResult? Rebuild { get; set; }
    public bool? RebuildReproduced { get; set; }
    public long LargeEvents { get; set; }
    public LoadResult? LargeCaseRead { get; set; }
    public LoadResult? LargeTrends { get; set; }
    public LoadResult? LargeCaseReadPaced { get; set; }
    public LoadResult? LargeTrendsPaced { get; set; }
    public List<(string Stage, long Bytes)> PeakMemory { get; } = [];
    public List<PhaseCost> Phases { get; } = [];
    public List<string> Notes { get; } = [];
    public string? Error { get; set; }
}

/// <summary>One measured phase: its CPU by party, the requests (or transactions) it served, its top statements.</summary>
public sealed record PhaseCost(string Phase, CpuShare? Cpu, long Requests, string? Statements)
{
    public double ApiMicroseconds => Cpu is { } c && Requests > 0 ? c.ApiSeconds * 1e6 / Requests : double.NaN;
    public double PostgresMicroseconds => Cpu is { } c && Requests > 0 ? c.PostgresSeconds * 1e6 / Requests : double.NaN;
}

/// <summary>The markdown table of a run: each figure, its ratio to the baseline, its target and pass/fail.</summary>
public static class Report
{
    const long MB = 1024 * 1024;

    public static string Render(Results r, BenchOptions o)
    {
        var baseline = r.Baseline?.PerSecond ?? double.NaN;
        var large = BenchOptions.Short(o.Events);
        var text = new StringBuilder();

        text.AppendLine(o.Quick
            ? $"## Defence benchmark — QUICK RUN (--quick): {o.Duration.TotalSeconds:N0} s phases, {large} events instead of 1M. A smoke check, not the reported figures."
            : $"## Defence benchmark — {o.Duration.TotalSeconds:N0} s phases, {large} events");
        text.AppendLine();
        text.AppendLine($"{r.StartedAt:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; .NET {Environment.Version}; " +
                        $"PostgreSQL {Get(r.Settings, "server_version")} ({r.DatabaseSource}); fsync={Get(r.Settings, "fsync")}, " +
                        $"synchronous_commit={Get(r.Settings, "synchronous_commit")}, shared_buffers={Get(r.Settings, "shared_buffers")}; " +
                        $"{o.Workers} concurrent clients; API, database and this client share the machine.");
        if (o.ApiConnectionExtra is { Length: > 0 } extra)
            text.AppendLine().AppendLine($"**Experiment: the API's connection string had `{extra}` added.**");
        if (Get(r.Settings, "fsync") != "on" || Get(r.Settings, "synchronous_commit") != "on")
            text.AppendLine().AppendLine("**Not durable (fsync or synchronous_commit off): these figures must not be reported.**");
        var others = r.Phases.Where(p => p.Cpu is not null).Select(p => p.Cpu!.Other).ToList();
        if (others.Count > 0 && others.Average() > 0.10)
            text.AppendLine().AppendLine($"**Other processes used {others.Average():P0} of the CPU on average during the phases (see the CPU table): " +
                                         "the machine was shared, so these figures are lower than a quiet machine gives.**");
        text.AppendLine();
        text.AppendLine("| # | figure | measured | ÷ baseline | target | result |");
        text.AppendLine("|---|---|---|---:|---|---|");

        var n = 0;
        void Row(string figure, string measured, string ratio, string target, string result) =>
            text.AppendLine($"| {++n} | {figure} | {measured} | {ratio} | {target} | {result} |");

        Row($"baseline: single-row INSERT tx/s, jsonb {r.PayloadBytes} B, Npgsql", Throughput(r.Baseline, "tx/s"), Ratio(r.Baseline?.PerSecond, baseline), "the database's ceiling", "–");
        Row($"baseline by pgbench: the same INSERT, table and clients", r.PgBench is { } pg ? $"{Number(pg.PerSecond)} tx/s" : "not measured",
            Ratio(r.PgBench?.PerSecond, baseline), "(the ceiling without a .NET client)", "–");
        Row("append: POST /api/reports", Throughput(r.Append, "req/s"), Ratio(r.Append?.PerSecond, baseline), "≥ 0.50 × baseline",
            Mark(r.Append is { } a && r.Baseline is not null ? a.PerSecond >= 0.5 * baseline && a.Failed == 0 : null));
        Row("command: POST /api/cases/{id}/advice, distinct cases", Throughput(r.Command, "req/s"), Ratio(r.Command?.PerSecond, baseline), "(none)", Clean(r.Command));
        const string latencyTarget = "p99 < 10 ms at half the saturated rate";
        Row($"read @{BenchOptions.Short(BenchOptions.SmallStoreEvents)} ({r.SmallEvents:N0} events): GET /api/cases/{{id}}", Read(r.SmallCaseRead, r.SmallCaseReadPaced),
            Ratio(r.SmallCaseRead?.PerSecond, baseline), latencyTarget, Mark(P99Below(r.SmallCaseReadPaced, 10)));
        Row($"read @{BenchOptions.Short(BenchOptions.SmallStoreEvents)}: GET /api/trends", Read(r.SmallTrends, r.SmallTrendsPaced),
            Ratio(r.SmallTrends?.PerSecond, baseline), latencyTarget, Mark(P99Below(r.SmallTrendsPaced, 10)));
        Row($"read @{large} ({r.LargeEvents:N0} events): GET /api/cases/{{id}}", Read(r.LargeCaseRead, r.LargeCaseReadPaced),
            Ratio(r.LargeCaseRead?.PerSecond, baseline), latencyTarget, Mark(P99Below(r.LargeCaseReadPaced, 10)));
        var smallTrendsP99 = r.SmallTrendsPaced?.Percentile(99) ?? double.NaN;
        Row($"read @{large}: GET /api/trends", Read(r.LargeTrends, r.LargeTrendsPaced), Ratio(r.LargeTrends?.PerSecond, baseline),
            $"{latencyTarget}, and ≤ 1.5 × that p99 @10k (≤ {1.5 * smallTrendsP99:0.00} ms)",
            Mark(r.LargeTrendsPaced is { } lt && r.SmallTrendsPaced is not null ? lt.Failed == 0 && lt.Percentile(99) < 10 && lt.Percentile(99) <= 1.5 * smallTrendsP99 : null));

        var c = r.CatchUp;
        Row($"projection catch-up into the trends ({(c is null ? "–" : $"{c.ToSequence - c.FromSequence:N0}")} events)",
            c is null ? "not measured" : $"{Number(c.EventsPerSecond)} events/s{(c.CaughtUp ? "" : " (**not caught up** within the time limit)")}; " +
                                         $"caught up {c.SinceApiStart.TotalSeconds:N1} s after the API process started",
            Ratio(c?.EventsPerSecond, baseline), "≥ 10,000 events/s", Mark(c is null || double.IsNaN(c.EventsPerSecond) ? null : c.CaughtUp && c.EventsPerSecond >= 10_000));

        var rb = r.Rebuild;
        var rebuildLimit = 120.0 * o.Events / 1_000_000;
        Row($"full trends rebuild (events up to seq {(rb is null ? "–" : $"{rb.UpToSequence:N0}")})",
            rb is null ? "not measured" : $"{rb.Took.TotalSeconds:N1} s, {rb.Cases:N0} cases, {Number(rb.UpToSequence / rb.Took.TotalSeconds)} events/s" +
                                          (r.RebuildReproduced is false ? "; **totals differ from the projection's**" : ""),
            Ratio(rb is null ? null : rb.UpToSequence / rb.Took.TotalSeconds, baseline),
            o.Events == 1_000_000 ? "< 120 s for 1M events" : $"< 120 s per 1M events (pro rata for {large}: < {rebuildLimit:N0} s)",
            Mark(rb is null ? null : rb.Took.TotalSeconds < rebuildLimit && r.RebuildReproduced != false));

        var lag = r.Lag;
        Row($"trend lag under report load at half the append rate ({r.LagRate:N0} req/s asked)",
            lag is null ? "not measured" : $"p99 {lag.P99:N2} s (p50 {lag.P50:N2} s, max {lag.Max:N2} s, ≤ {lag.MaxEventsBehind:N0} events behind, {lag.Samples} samples); " +
                                           $"load {Throughput(r.LagLoad, "req/s")}",
            Ratio(r.LagLoad?.PerSecond, baseline), "p99 < 2 s", Mark(lag is null ? null : lag.P99 < 2 && r.LagLoad?.Failed == 0));

        var peak = r.PeakMemory.Count == 0 ? (long?)null : r.PeakMemory.Max(p => p.Bytes);
        Row("API peak memory (VmHWM)", peak is null ? "not measured" : $"{peak / MB:N0} MB ({string.Join(", ", r.PeakMemory.Select(p => $"{p.Stage}: {p.Bytes / MB:N0} MB"))})",
            "–", "< 300 MB", Mark(peak is null ? null : peak < 300 * MB));

        text.AppendLine();
        text.AppendLine("Not targets: " +
                        (r.ApiStart is { } start ? $"API start to healthy {start.TotalSeconds:N1} s; " : "") +
                        (r.HealthPaced is { } health ? $"GET /health (no token, no database) paced at {Number(health.PerSecond)} req/s: {health.Latencies}; " : "") +
                        (r.SeedTook is { } seed && r.SeededEvents > 0
                            ? $"seeding {r.SeededEvents:N0} events with {o.ImportProcesses} `import` command process(es) took {seed.TotalSeconds:N0} s " +
                              $"({Number(r.SeededEvents / seed.TotalSeconds)} events/s, {Ratio(r.SeededEvents / seed.TotalSeconds, baseline)} baseline)."
                            : ""));

        var failures = new[] { r.Baseline, r.Append, r.Command, r.SmallCaseRead, r.SmallTrends, r.LargeCaseRead, r.LargeTrends,
                r.SmallCaseReadPaced, r.SmallTrendsPaced, r.LargeCaseReadPaced, r.LargeTrendsPaced, r.LagLoad }
            .Where(l => l is { Failed: > 0 }).ToList();
        foreach (var failed in failures)
            text.AppendLine().Append($"{failed!.Name}: {failed.Failed:N0} failed requests, e.g. {string.Join(" | ", failed.Failures.Take(2))}");
        foreach (var note in r.Notes) text.AppendLine().Append($"Note: {note}");
        if (r.Error is not null) text.AppendLine().AppendLine().Append($"**The run stopped early:** {r.Error}");
        text.AppendLine();

        if (r.Phases.Any(p => p.Cpu is not null))
        {
            var insert = r.Phases.FirstOrDefault(p => p.Phase == "baseline")?.PostgresMicroseconds ?? double.NaN;
            text.AppendLine().AppendLine("CPU per request: the CPU time of the API process (with its import commands) and of the PostgreSQL cluster's " +
                                         "processes over the phase, divided by the requests (or transactions) it served; the ratio is API + PostgreSQL " +
                                         $"to the baseline INSERT's PostgreSQL CPU per transaction ({Micro(insert)} µs):").AppendLine();
            text.AppendLine("| phase | requests | API µs | PostgreSQL µs | (API + PostgreSQL) ÷ INSERT | target | result |")
                .AppendLine("|---|---:|---:|---:|---:|---|---|");
            foreach (var phase in r.Phases.Where(p => p.Cpu is not null && p.Requests > 0))
            {
                var ratio = (phase.ApiMicroseconds + phase.PostgresMicroseconds) / insert;
                var target = CostTarget(phase.Phase);
                text.AppendLine($"| {phase.Phase} | {phase.Requests:N0} | {Micro(phase.ApiMicroseconds)} | {Micro(phase.PostgresMicroseconds)} | " +
                                $"{(double.IsNaN(ratio) ? "–" : $"{ratio:0.00}×")} | {(target is { } t ? $"≤ {t:0.0}×" : "")} | " +
                                $"{(target is { } limit && !double.IsNaN(ratio) ? Mark(ratio <= limit) : "")} |");
            }

            text.AppendLine().AppendLine("CPU by phase (share of all cores):").AppendLine();
            text.AppendLine("| phase | API | PostgreSQL | bench client | other processes | idle |").AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var phase in r.Phases.Where(p => p.Cpu is not null))
            {
                var cpu = phase.Cpu!;
                text.AppendLine($"| {phase.Phase} | {cpu.Api:P0} | {cpu.Postgres:P0} | {cpu.Bench:P0} | {cpu.Other:P0} | {cpu.Idle:P0} |");
            }
        }
        foreach (var phase in r.Phases.Where(p => p.Statements is not null))
            text.AppendLine().AppendLine($"pg_stat_statements, {phase.Phase}:").AppendLine().Append(phase.Statements);
        return text.ToString();
    }

    /// <summary>Issue 16's limits on API + PostgreSQL CPU per request, as multiples of the INSERT's PostgreSQL CPU, for the saturated phases.</summary>
    static double? CostTarget(string phase) => phase switch
    {
        _ when phase.StartsWith("read case @", StringComparison.Ordinal) && !phase.EndsWith("paced", StringComparison.Ordinal) => 1.5,
        _ when phase.StartsWith("read trends @", StringComparison.Ordinal) && !phase.EndsWith("paced", StringComparison.Ordinal) => 2,
        "append" => 3,
        _ => null,
    };

    static string Micro(double value) => double.IsNaN(value) ? "–" : value.ToString("N0", CultureInfo.InvariantCulture);

    static string Get(IReadOnlyDictionary<string, string> settings, string key) => settings.TryGetValue(key, out var value) ? value : "?";

    static string Throughput(LoadResult? result, string unit) =>
        result is null ? "not measured"
            : $"{Number(result.PerSecond)} {unit}; {result.Latencies}" +
              (result.Failed > 0 ? $"; **{result.Failed:N0} failed**" : "") +
              (result.StoppedByCount ? $" (ran out of work after {result.Elapsed.TotalSeconds:N1} s)" : "");

    /// <summary>A read's saturated throughput and latencies, then its latencies paced at half that rate.</summary>
    static string Read(LoadResult? saturated, LoadResult? paced) =>
        saturated is null ? "not measured"
            : $"saturated: {Throughput(saturated, "req/s")}; " +
              (paced is null ? "paced: not measured" : $"**paced at {Number(paced.PerSecond)} req/s: {paced.Latencies}**" + (paced.Failed > 0 ? $"; **{paced.Failed:N0} failed**" : ""));

    static string Number(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 100 ? "N1" : "N0", CultureInfo.InvariantCulture);

    static string Ratio(double? value, double baseline) =>
        value is { } v && !double.IsNaN(v) && baseline > 0 ? (v / baseline >= 0.1 ? $"{v / baseline:0.00}×" : $"{v / baseline:0.000}×") : "–";

    static bool? P99Below(LoadResult? result, double ms) => result is null ? null : result.Failed == 0 && result.Percentile(99) < ms;

    static string Clean(LoadResult? result) => result is null ? "–" : result.Failed == 0 ? "(no errors)" : "**errors**";

    static string Mark(bool? pass) => pass switch { true => "pass", false => "**FAIL**", null => "–" };
}
