using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Defence.Api.Hosting;

/// <summary>
/// A PostgreSQL cluster run from the server binaries installed on this machine (initdb, pg_ctl),
/// for development and tests where no database is given. PostgreSQL refuses to run as root, so
/// as root the cluster belongs to, and runs as, the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgres
{
    public const string DatabaseName = "defence";

    /// <summary>Where <c>dotnet run</c> keeps its development cluster unless <c>Database:LocalDataDirectory</c> says otherwise.</summary>
    public static string DefaultDataDirectory => Path.Combine(Path.GetTempPath(), "defence-dev-postgres");

    LocalPostgres(string dataDirectory, int port, string binDirectory)
    {
        DataDirectory = dataDirectory;
        Port = port;
        BinDirectory = binDirectory;
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public string BinDirectory { get; }

    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = DatabaseName }.ConnectionString;

    /// <summary>The folder holding initdb and pg_ctl, or null when PostgreSQL server binaries are not installed.</summary>
    public static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>
    /// Starts the cluster in <paramref name="dataDirectory"/>, creating it first if it does not exist,
    /// or reuses it when it is already running. <paramref name="durable"/> false turns fsync off (tests).
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(string dataDirectory, int? port = null, bool durable = true, CancellationToken ct = default)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. " +
            "Install them (Debian: apt-get install postgresql) or set ConnectionStrings__Marten to an existing database.");

        var portFile = Path.Combine(dataDirectory, "defence.port");
        var cluster = new LocalPostgres(dataDirectory, port ?? ReadPort(portFile) ?? FreePort(), bin);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            await cluster.InitAsync(ct);
        await File.WriteAllTextAsync(portFile, cluster.Port.ToString(), ct);

        if (await cluster.RunAsync("pg_ctl", ["status", "-D", dataDirectory], ct, throwOnError: false) != 0)
        {
            var options = $"-p {cluster.Port} -h 127.0.0.1 -k {dataDirectory}" + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            await cluster.RunAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", dataDirectory, "-o", options, "-l", Path.Combine(dataDirectory, "server.log")], ct);
        }

        await cluster.EnsureDatabaseAsync(ct);
        return cluster;
    }

    public Task StopAsync() => RunAsync("pg_ctl", ["stop", "-m", "immediate", "-D", DataDirectory], CancellationToken.None, throwOnError: false);

    /// <summary>Stops the cluster in <paramref name="dataDirectory"/> cleanly, if it runs.</summary>
    public static async Task StopAsync(string dataDirectory)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL server binaries (pg_ctl) were not found.");
        var cluster = new LocalPostgres(dataDirectory, 0, bin);
        if (await cluster.RunAsync("pg_ctl", ["status", "-D", dataDirectory], CancellationToken.None, throwOnError: false) == 0)
            await cluster.RunAsync("pg_ctl", ["stop", "-m", "fast", "-w", "-D", dataDirectory], CancellationToken.None);
    }

    async Task InitAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(DataDirectory);
        if (RunningAsRoot)
            await RunProcessAsync("chown", ["-R", "postgres:postgres", DataDirectory], ct);
        await RunAsync("initdb", ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], ct);
    }

    async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    static bool RunningAsRoot => Environment.UserName == "root";

    Task<int> RunAsync(string tool, string[] args, CancellationToken ct, bool throwOnError = true)
    {
        var path = Path.Combine(BinDirectory, tool);
        return RunningAsRoot
            ? RunProcessAsync("runuser", ["-u", "postgres", "--", path, .. args], ct, throwOnError)
            : RunProcessAsync(path, args, ct, throwOnError);
    }

    static async Task<int> RunProcessAsync(string file, string[] args, CancellationToken ct, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException(
                $"'{file} {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {await error}{await output}");
        return process.ExitCode;
    }

    static int? ReadPort(string portFile) =>
        File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile), out var port) ? port : null;

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
