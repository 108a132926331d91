using System.Globalization;

namespace Defence.Bench;

/// <summary>The command line of the benchmark; <see cref="Usage"/> describes every option.</summary>
public sealed record BenchOptions
{
    public const int SmallStoreEvents = 10_000;

    public bool Quick { get; init; }
    /// <summary>How long each measured phase runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Concurrent clients, for the database baseline and the HTTP load alike.</summary>
    public int Workers { get; init; } = 16;
    /// <summary>Events in the store for the large read stage, the catch-up and the rebuild.</summary>
    public long Events { get; init; } = 1_000_000;
    public string? ConnectionString { get; init; }
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "defence-bench");
    public string? ApiDll { get; init; }
    /// <summary>Import command processes run side by side to seed the large store.</summary>
    public int ImportProcesses { get; init; } = 2;
    public TimeSpan CatchUpTimeout { get; init; } = TimeSpan.FromMinutes(20);
    public bool PgStatStatements { get; init; }
    /// <summary>Npgsql keywords appended to the API's connection string, for experiments (the table shows them).</summary>
    public string? ApiConnectionExtra { get; init; }
    public bool Keep { get; init; }
    public bool Help { get; init; }

    public const string Usage = """
        Defence benchmark (issue 5): measures the API, run as its own process from its Release build,
        against the database's own single-row INSERT ceiling, and prints a table with the targets.

        usage: dotnet run -c Release --project bench/Defence.Bench -- [options]

          --quick                 a short check (under 2 minutes): 3 s phases, 100,000 events; not the reported figures
          --duration <seconds>    length of each measured phase (default 30; quick 3)
          --workers <n>           concurrent clients for the baseline and the HTTP load (default 16)
          --events <n>            events in the store for the large stage (default 1,000,000; quick 100,000)
          --connection <cs>       use this PostgreSQL server (also env BENCH_CONNECTION_STRING): the bench creates a
                                  fresh database on it (the role needs CREATEDB) and drops it afterwards.
                                  Default: a durable local cluster from the installed binaries, removed afterwards.
          --work-dir <dir>        where the local cluster, CSV files and logs go (default $TMPDIR/defence-bench)
          --api-dll <path>        the API to run (default src/Api/bin/Release/net10.0/Defence.Api.dll, built if stale)
          --import-processes <n>  import commands run in parallel to seed the large stage (default 2)
          --catch-up-timeout <s>  longest wait for the projection to catch up (default 1200; quick 60)
          --pg-stat-statements    local cluster only: load pg_stat_statements and print each phase's top statements
          --api-connection-extra <keywords>
                                  experiments only: Npgsql keywords added to the API's connection string,
                                  e.g. 'No Reset On Close=true'; the table names them
          --keep                  keep the database (and leave the local cluster running) for inspection
        """;

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = new BenchOptions
        {
            Quick = quick,
            Duration = TimeSpan.FromSeconds(quick ? 3 : 30),
            Events = quick ? 100_000 : 1_000_000,
            CatchUpTimeout = TimeSpan.FromSeconds(quick ? 60 : 1200),
            ConnectionString = Environment.GetEnvironmentVariable("BENCH_CONNECTION_STRING") is { Length: > 0 } env ? env : null,
        };

        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Number() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--quick" => options,
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number()) },
                "--workers" => options with { Workers = (int)Number() },
                "--events" => options with { Events = (long)Number() },
                "--connection" => options with { ConnectionString = Value() },
                "--work-dir" => options with { WorkDirectory = Path.GetFullPath(Value()) },
                "--api-dll" => options with { ApiDll = Path.GetFullPath(Value()) },
                "--import-processes" => options with { ImportProcesses = (int)Number() },
                "--catch-up-timeout" => options with { CatchUpTimeout = TimeSpan.FromSeconds(Number()) },
                "--pg-stat-statements" => options with { PgStatStatements = true },
                "--api-connection-extra" => options with { ApiConnectionExtra = Value() },
                "--keep" => options with { Keep = true },
                "--help" or "-h" => options with { Help = true },
                var unknown => throw new ArgumentException($"Unknown option '{unknown}'."),
            };
        }

        if (options.Duration <= TimeSpan.Zero || options.Duration > TimeSpan.FromHours(1))
            throw new ArgumentException("--duration must be between 0 and 3600 seconds.");
        if (options.Workers is < 1 or > 256) throw new ArgumentException("--workers must be between 1 and 256.");
        if (options.Events < 5 * SmallStoreEvents || options.Events > 20_000_000)
            throw new ArgumentException($"--events must be between {5 * SmallStoreEvents:N0} and 20,000,000.");
        if (options.ImportProcesses is < 1 or > 16) throw new ArgumentException("--import-processes must be between 1 and 16.");
        if (options.PgStatStatements && options.ConnectionString is not null)
            throw new ArgumentException("--pg-stat-statements needs the bench's own cluster (it restarts it with the module loaded).");
        return options;
    }

    /// <summary>"10k", "100k", "1M": how the stages are named in the table.</summary>
    public static string Short(long events) => events switch
    {
        >= 1_000_000 when events % 1_000_000 == 0 => $"{events / 1_000_000}M",
        >= 1_000_000 => $"{events / 1_000_000.0:0.#}M",
        >= 1_000 => $"{events / 1_000}k",
        _ => events.ToString(CultureInfo.InvariantCulture),
    };
}
