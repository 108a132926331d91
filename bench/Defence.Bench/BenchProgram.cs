using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Defence.Bench;

/// <summary>
/// One run: a PostgreSQL, its single-row INSERT baseline, then the API as its own process: reads with
/// ~10,000 events, appends, commands, lag under load; then, with the API stopped, the store seeded to the
/// large size with the API's import command, and the API restarted: catch-up, rebuild, reads again.
/// Progress goes to stderr, the table to stdout (and to a file in the work directory).
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        BenchOptions options;
        try { options = BenchOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var results = new Results();
        var clock = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");
        var run = new Run(options, results, Log);
        try
        {
            await run.ExecuteAsync(cancel.Token);
        }
        catch (Exception e)
        {
            results.Error = e is OperationCanceledException ? "cancelled" : $"{e.GetType().Name}: {e.Message}";
            Log($"Stopped: {e}");
        }

        var table = Report.Render(results, options);
        Console.WriteLine();
        Console.WriteLine(table);
        try
        {
            Directory.CreateDirectory(options.WorkDirectory);
            var file = Path.Combine(options.WorkDirectory, $"bench-{results.StartedAt:yyyyMMdd-HHmmss}{(options.Quick ? "-quick" : "")}.md");
            await File.WriteAllTextAsync(file, table, CancellationToken.None);
            Log($"Done in {clock.Elapsed.TotalSeconds:N0} s; table saved to {file}; logs in {run.LogDirectory}");
        }
        catch (IOException e)
        {
            Log($"Could not save the table: {e.Message}");
        }
        return results.Error is null ? 0 : 1;
    }
}

sealed class Run(BenchOptions options, Results results, Action<string> log)
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    const int HttpImportChunk = 5_000;

    /// <summary>Load before the measured phases of each API process: long enough for tiered compilation to reach its final code.</summary>
    TimeSpan WarmUp => TimeSpan.FromSeconds(options.Quick ? 5 : 15);

    public string LogDirectory { get; } = Path.Combine(options.WorkDirectory, $"logs-{DateTime.UtcNow:yyyyMMdd-HHmmss}");

    ApiProcess? _api;
    BenchDatabase? _database;
    Statements? _statements;
    CpuMeter? _cpu;

    public async Task ExecuteAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(LogDirectory);
        var dll = options.ApiDll ?? await ApiBuild.EnsureReleaseBuildAsync(log, ct);
        if (!File.Exists(dll)) throw new FileNotFoundException($"The API dll {dll} does not exist.");

        await using var database = _database = await BenchDatabase.StartAsync(options, log, ct);
        try
        {
            await MeasureAsync(dll, database, ct);
        }
        finally
        {
            if (_api is not null) await _api.DisposeAsync();
            if (options.Keep)
                log($"Kept the database: {database.ConnectionString}" + (database.IsLocalCluster ? " (the cluster is still running)" : ""));
        }
    }

    async Task MeasureAsync(string dll, BenchDatabase database, CancellationToken ct)
    {
        results.Settings = await database.SettingsAsync(ct);
        results.DatabaseSource = database.Source;
        _statements = new Statements(database.ConnectionString, options.PgStatStatements);
        _cpu = new CpuMeter(() => _api?.Pid, database.PostmasterPid);
        var workers = options.Workers;
        var duration = options.Duration;

        // 1. The database's ceiling.
        var payload = Baseline.ReportEventJson();
        results.PayloadBytes = System.Text.Encoding.UTF8.GetByteCount(payload);
        await using (var baseline = await Baseline.PrepareAsync(database.ConnectionString, workers, payload, ct))
        {
            // Warmed up like the API, so a fresh cluster's first seconds (cold caches, new WAL segments) do not lower the ceiling.
            log($"Warming up the baseline for {WarmUp.TotalSeconds:N0} s...");
            await baseline.RunAsync(WarmUp, ct);
            results.Baseline = await Phase("baseline", () => baseline.RunAsync(duration, ct), ct);
        }
        log($"  {results.Baseline.PerSecond:N0} tx/s");
        if (PgBench.Find() is { } pgbench)
        {
            _cpu.ChildrenAreApi = false;
            try
            {
                results.PgBench = await Phase("pgbench baseline", () => PgBench.RunAsync(pgbench, database.ConnectionString, payload, workers, duration,
                    options.WorkDirectory, Path.Combine(LogDirectory, "pgbench.log"), ct), ct, r => r.Transactions);
            }
            finally { _cpu.ChildrenAreApi = true; }
            log($"  pgbench {results.PgBench.PerSecond:N0} tx/s");
        }
        else results.Notes.Add("pgbench was not found (PostgreSQL's binaries or PATH), so its baseline was not measured.");

        var apiConnectionString = options.ApiConnectionExtra is { Length: > 0 } extra
            ? new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString + ";" + extra).ConnectionString
            : database.ConnectionString;
        var settings = new ApiSettings(apiConnectionString);
        using var http = Workload.Client(workers);
        var workload = new Workload(http, settings, workers);
        using var probe = new ProjectionProbe(database.ConnectionString);

        // 2. The small store: ~10,000 events imported over HTTP.
        await StartApiAsync(dll, settings, http, workload, ct);
        long nextRow = 0;
        var rows = (BenchOptions.SmallStoreEvents + Workload.EventsPerImportedRow - 1) / Workload.EventsPerImportedRow;
        log($"Importing {rows:N0} cases ({rows * Workload.EventsPerImportedRow:N0} events) over HTTP...");
        var importClock = Stopwatch.StartNew();
        for (long first = 0; first < rows; first += HttpImportChunk)
        {
            var count = Math.Min(HttpImportChunk, rows - first);
            using var csv = new StringWriter(CultureInfo.InvariantCulture);
            Workload.WriteCsv(csv, first, count);
            var imported = await workload.ImportAsync(csv.ToString(), ct);
            if (imported != count) throw new InvalidOperationException($"The import created {imported} of {count} cases.");
        }
        nextRow = rows;
        log($"  imported in {importClock.Elapsed.TotalSeconds:N1} s (the API's first import also generates and compiles its code)");
        if (!await probe.WaitCaughtUpAsync(TimeSpan.FromSeconds(60), ct))
            results.Notes.Add("The trends had not caught up with the small store after 60 s; the @10k trends read ran anyway.");
        await AnalyzeAsync(database, ct);
        var expectedTotal = await workload.TrendsTotalAsync(ct);
        if (expectedTotal != rows) results.Notes.Add($"The trends counted {expectedTotal:N0} cases after importing {rows:N0}.");

        log($"Warming up for {WarmUp.TotalSeconds:N0} s (the JIT's tiers settle before anything is measured)...");
        var warmCases = new ConcurrentQueue<Guid>();
        await Load.RunAsync("warm-up", workers, WarmUp, 1_000_000, async (worker, token) =>
            (worker % 4) switch
            {
                0 => await workload.ReportAsync(worker, warmCases, token),
                1 => await workload.GetCaseAsync(Workload.ImportedCaseId(Random.Shared.NextInt64(nextRow)), token),
                2 => await workload.TrendsAsync(token),
                _ => warmCases.TryDequeue(out var id) ? await workload.AdviceAsync(id, token) : await workload.ReportAsync(worker, null, token),
            }, ct: ct);

        results.SmallEvents = await probe.EventCountAsync(ct);
        var smallRows = nextRow;
        (results.SmallCaseRead, results.SmallCaseReadPaced) = await ReadPhasesAsync("read case @10k",
            (_, token) => workload.GetCaseAsync(Workload.ImportedCaseId(Random.Shared.NextInt64(smallRows)), token), ct);
        (results.SmallTrends, results.SmallTrendsPaced) = await ReadPhasesAsync("read trends @10k", (_, token) => workload.TrendsAsync(token), ct);
        // Not a target: the same pace on an endpoint with no token and no database, to tell the machine's own tail from the reads'.
        var floorRate = Math.Max(1, results.SmallCaseRead.PerSecond / 2);
        results.HealthPaced = await Phase("GET /health/live paced", () => Load.RunAsync("GET /health/live paced", workers, duration, 100_000_000,
            (_, token) => workload.HealthAsync(token), ratePerSecond: floorRate, ct: ct), ct);

        // 3. Appends, then a command on each new case.
        var created = new ConcurrentQueue<Guid>();
        results.Append = await Phase("append", () => Load.RunAsync("append", workers, duration, 100_000_000,
            (worker, token) => workload.ReportAsync(worker, created, token), ct: ct), ct);
        log($"  {results.Append.PerSecond:N0} req/s");
        var cases = created.ToArray();
        long taken = -1;
        results.Command = await Phase("command", () => Load.RunAsync("command", workers, duration, cases.Length,
            (_, token) => workload.AdviceAsync(cases[Interlocked.Increment(ref taken)], token), ct: ct), ct);

        // 4. Lag under sustained report load at half the append capacity.
        await probe.WaitCaughtUpAsync(TimeSpan.FromSeconds(30), ct);
        results.LagRate = Math.Max(1, results.Append.PerSecond / 2);
        await Phase("lag under load", async () =>
        {
            var sampling = probe.SampleLagAsync(duration, TimeSpan.FromMilliseconds(100), ct);
            results.LagLoad = await Load.RunAsync("lag load", workers, duration, 100_000_000,
                (worker, token) => workload.ReportAsync(worker, null, token), ratePerSecond: results.LagRate, ct: ct);
            results.Lag = await sampling;
            return true;
        }, ct, _ => results.LagLoad is { } load ? load.Ok + load.Failed : 0);

        if (!await probe.WaitCaughtUpAsync(TimeSpan.FromSeconds(60), ct))
            results.Notes.Add("The trends were still behind 60 s after the lag phase; the catch-up below includes that backlog.");
        await StopApiAsync("small stage");

        // 5. The large store, seeded while the API is stopped, with the API's own import command.
        var current = await probe.EventCountAsync(ct);
        var seedRows = Math.Max(0, (options.Events - current + Workload.EventsPerImportedRow - 1) / Workload.EventsPerImportedRow);
        var before = (await probe.ProgressAsync(ct)).HighWater;
        var seedClock = Stopwatch.StartNew();
        await Phase("seed (import command)", () => SeedAsync(dll, settings, nextRow, seedRows, ct), ct);
        results.SeedTook = seedClock.Elapsed;
        nextRow += seedRows;
        var (_, highWater) = await probe.ProgressAsync(ct);
        results.SeededEvents = highWater - before;
        await AnalyzeAsync(database, ct);

        // 6. The API again: the daemon catches up from where it stopped.
        var apiStarted = await StartApiAsync(dll, settings, http, workload, ct, waitHealthy: false);
        var following = probe.FollowCatchUpAsync(apiStarted, highWater, options.CatchUpTimeout, log, ct);
        await _api!.WaitHealthyAsync(http, StartTimeout, ct);
        var catchUp = await Phase("catch-up", () => following, ct);
        if (seedRows > 0)
        {
            results.CatchUp = catchUp;
            log($"  {catchUp.EventsPerSecond:N0} events/s");
        }
        else results.Notes.Add($"Nothing was seeded (the store already held {current:N0} events), so there was no catch-up to measure: raise --events.");

        var totalBefore = await workload.TrendsTotalAsync(ct);
        results.Rebuild = await Phase("rebuild", () => probe.RebuildAsync(ct), ct);
        log($"  rebuilt in {results.Rebuild.Took.TotalSeconds:N1} s");
        results.RebuildReproduced = await workload.TrendsTotalAsync(ct) == totalBefore;
        if (results.RebuildReproduced == false) results.Notes.Add("The trends total after the rebuild differs from the projection's.");

        results.LargeEvents = await probe.EventCountAsync(ct);
        await SettleAsync(database, ct);
        var largeRows = nextRow;
        var label = BenchOptions.Short(options.Events);
        log($"Warming up the restarted API's reads for {WarmUp.TotalSeconds:N0} s...");
        await Load.RunAsync("warm-up", workers, WarmUp, 1_000_000, async (worker, token) => worker % 2 == 0
            ? await workload.GetCaseAsync(Workload.ImportedCaseId(Random.Shared.NextInt64(largeRows)), token)
            : await workload.TrendsAsync(token), ct: ct);
        (results.LargeCaseRead, results.LargeCaseReadPaced) = await ReadPhasesAsync($"read case @{label}",
            (_, token) => workload.GetCaseAsync(Workload.ImportedCaseId(Random.Shared.NextInt64(largeRows)), token), ct);
        (results.LargeTrends, results.LargeTrendsPaced) = await ReadPhasesAsync($"read trends @{label}", (_, token) => workload.TrendsAsync(token), ct);
        await StopApiAsync("large stage");
    }

    /// <summary>
    /// Before the large store's reads: vacuums what the bulk load and the rebuild just wrote (as autovacuum would start
    /// doing in the middle of the reads) and checkpoints their dirty pages, so the reads measure a store of that size
    /// rather than the clean-up after the bench's own bulk writes.
    /// </summary>
    async Task SettleAsync(BenchDatabase database, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await BenchDatabase.ExecuteAsync(database.ConnectionString, "vacuum (analyze)", ct);
        try { await BenchDatabase.ExecuteAsync(database.ConnectionString, "checkpoint", ct); }
        catch (Npgsql.PostgresException e) { log($"  no checkpoint ({e.MessageText}): the reads may meet the bulk load's"); }
        log($"  vacuum and checkpoint: {clock.Elapsed.TotalSeconds:N1} s");
    }

    /// <summary>
    /// Refreshes the planner's statistics after seeding, as autovacuum would within about a minute: without it the
    /// phases right after a bulk load run on plans made for the empty tables, which a steady-state store never sees.
    /// </summary>
    async Task AnalyzeAsync(BenchDatabase database, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await BenchDatabase.ExecuteAsync(database.ConnectionString, "analyze", ct);
        log($"  analyze: {clock.Elapsed.TotalSeconds:N1} s");
    }

    async Task<DateTime> StartApiAsync(string dll, ApiSettings settings, HttpClient http, Workload workload, CancellationToken ct, bool waitHealthy = true)
    {
        log("Starting the API process...");
        var clock = Stopwatch.StartNew();
        _api = ApiProcess.Start(dll, settings, Path.Combine(LogDirectory, "api.log"));
        workload.BaseAddress = _api.BaseAddress;
        if (waitHealthy)
        {
            await _api.WaitHealthyAsync(http, StartTimeout, ct);
            results.ApiStart ??= clock.Elapsed;
            log($"  healthy after {clock.Elapsed.TotalSeconds:N1} s (pid {_api.Pid}, {_api.BaseAddress})");
        }
        return _api.StartedAt;
    }

    async Task StopApiAsync(string stage)
    {
        if (_api is null) return;
        results.PeakMemory.Add((stage, _api.ReadPeakMemory()));
        await _api.DisposeAsync();
        _api = null;
    }

    /// <summary>Runs <see cref="BenchOptions.ImportProcesses"/> import commands side by side, each on its own CSV file.</summary>
    async Task<bool> SeedAsync(string dll, ApiSettings settings, long firstRow, long rows, CancellationToken ct)
    {
        if (rows == 0) return true;
        log($"Seeding {rows:N0} cases ({rows * Workload.EventsPerImportedRow:N0} events) with {options.ImportProcesses} import process(es)...");
        var parts = options.ImportProcesses;
        var files = new List<string>();
        for (var i = 0; i < parts; i++)
        {
            var first = firstRow + rows * i / parts;
            var count = firstRow + rows * (i + 1) / parts - first;
            var file = Path.Combine(options.WorkDirectory, $"seed-{i}.csv");
            await using (var writer = new StreamWriter(file))
                Workload.WriteCsv(writer, first, count);
            files.Add(file);
        }
        try
        {
            var imports = files.Select(async (file, i) =>
            {
                await using var logFile = new StreamWriter(Path.Combine(LogDirectory, $"import-{i}.log")) { AutoFlush = true };
                using var process = ApiProcess.Start(ApiProcess.Command(dll, settings, ["import", "--tenant", ApiSettings.Tenant, file]), logFile);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(TimeSpan.FromHours(2));
                try { await process.WaitForExitAsync(limit.Token); }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"The import command for {file} exited with {process.ExitCode}; see import-{i}.log.");
            }).ToList();
            await Task.WhenAll(imports);
        }
        finally
        {
            foreach (var file in files) File.Delete(file);
        }
        return true;
    }

    /// <summary>
    /// A read measured twice: saturated (every client sends its next request as soon as the last answers: the
    /// throughput, with latencies that are mostly queueing once the two cores are busy), then paced at half that
    /// rate, like the lag phase: the latencies a user sees when the machine has headroom, which the targets judge.
    /// </summary>
    async Task<(LoadResult Saturated, LoadResult Paced)> ReadPhasesAsync(string name, Func<int, CancellationToken, Task<Outcome>> read, CancellationToken ct)
    {
        var duration = options.Duration;
        var saturated = await Phase(name, () => Load.RunAsync(name, options.Workers, duration, 100_000_000, read, ct: ct), ct);
        var rate = Math.Max(1, saturated.PerSecond / 2);
        var paced = await Phase($"{name} paced", () => Load.RunAsync($"{name} paced", options.Workers, duration, 100_000_000, read, ratePerSecond: rate, ct: ct), ct);
        return (saturated, paced);
    }

    /// <summary>
    /// Measures one phase: CPU by party, per request (a load's requests, or what <paramref name="requests"/> counts), and
    /// with --pg-stat-statements the database's top statements.
    /// </summary>
    async Task<T> Phase<T>(string name, Func<Task<T>> measure, CancellationToken ct, Func<T, long>? requests = null)
    {
        log($"{name}...");
        await _statements!.ResetAsync(ct);
        _cpu!.Start();
        var result = await measure();
        var cpu = _cpu.Stop();
        var count = requests?.Invoke(result) ?? (result is LoadResult load ? load.Ok + load.Failed : 0);
        results.Phases.Add(new PhaseCost(name, cpu, count, await _statements.TopAsync(8, ct)));
        if (cpu is not null) log($"  CPU: {cpu}" + (count > 0 ? $"; per request: API {cpu.ApiSeconds * 1e6 / count:N0} µs, PostgreSQL {cpu.PostgresSeconds * 1e6 / count:N0} µs" : ""));
        return result;
    }
}

/// <summary>Finds the repository and makes sure the API's Release build is at least as new as its sources.</summary>
static class ApiBuild
{
    public static async Task<string> EnsureReleaseBuildAsync(Action<string> log, CancellationToken ct)
    {
        var root = FindRoot() ?? throw new InvalidOperationException("Could not find Defence.sln above the bench or the current directory; pass --api-dll.");
        var dll = Path.Combine(root, "src", "Api", "bin", "Release", "net10.0", "Defence.Api.dll");
        var newestSource = Directory.EnumerateFiles(Path.Combine(root, "src"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
        if (File.Exists(dll) && File.GetLastWriteTimeUtc(dll) >= newestSource) return dll;

        log("Building the API (Release): dotnet build src/Api -c Release ...");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "build", Path.Combine("src", "Api", "Defence.Api.csproj"), "-c", "Release", "-nologo", "-v", "quiet" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"Building the API failed:\n{await output}{await error}");
        return dll;
    }

    static string? FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Defence.sln"))) return dir.FullName;
        }
        return null;
    }
}
