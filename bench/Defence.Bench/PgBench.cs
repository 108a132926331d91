using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Defence.Api.Hosting;
using Npgsql;

namespace Defence.Bench;

/// <summary>What pgbench reported: its transactions per second and how many it committed.</summary>
public sealed record PgBenchResult(double PerSecond, long Transactions, TimeSpan Elapsed);

/// <summary>
/// PostgreSQL's own client running the baseline's statement (the same table and payload, prepared, the same
/// clients and duration): the database's ceiling without a .NET client sharing the cores.
/// </summary>
public static partial class PgBench
{
    /// <summary>pgbench from the PostgreSQL binaries the bench found, or from PATH; null when there is none.</summary>
    public static string? Find()
    {
        var candidates = new List<string>();
        if (LocalPostgres.FindBinaries() is { } bin) candidates.Add(Path.Combine(bin, "pgbench"));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pgbench")));
        return candidates.FirstOrDefault(File.Exists);
    }

    public static async Task<PgBenchResult> RunAsync(
        string pgbench, string connectionString, string json, int workers, TimeSpan duration, string workDirectory, string logFile, CancellationToken ct)
    {
        var script = Path.Combine(workDirectory, "pgbench-insert.sql");
        await File.WriteAllTextAsync(script, $"insert into bench.report_rows (data) values ('{json.Replace("'", "''", StringComparison.Ordinal)}');\n", ct);
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "-n", "-M", "prepared", "-f", script,
                     "-c", workers.ToString(CultureInfo.InvariantCulture),
                     "-j", Math.Min(workers, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                     "-T", Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                     "-h", cs.Host ?? "127.0.0.1", "-p", cs.Port.ToString(CultureInfo.InvariantCulture),
                     "-U", cs.Username ?? "postgres", cs.Database ?? "postgres",
                 })
            start.ArgumentList.Add(arg);
        if (cs.Password is { Length: > 0 } password) start.Environment["PGPASSWORD"] = password;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {pgbench}.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(duration + TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var text = await output + await error;
        await File.WriteAllTextAsync(logFile, text, CancellationToken.None);
        File.Delete(script);
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench exited with {process.ExitCode}; see {logFile}.");

        var tps = Tps().Match(text);
        var count = Processed().Match(text);
        if (!tps.Success || !count.Success) throw new InvalidOperationException($"Could not read pgbench's figures; see {logFile}.");
        var perSecond = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
        var transactions = long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
        return new PgBenchResult(perSecond, transactions, TimeSpan.FromSeconds(transactions / perSecond));
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex Processed();
}
