using Defence.Api.Hosting;
using Npgsql;

namespace Defence.Bench;

/// <summary>
/// The one PostgreSQL of a run: a fresh durable local cluster (fsync and synchronous_commit on) from the
/// installed binaries, or a fresh database created on a server the user gives. Removed afterwards unless kept.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    readonly LocalPostgres? _cluster;
    readonly string? _adminConnectionString;
    readonly string? _createdDatabase;
    readonly bool _keep;

    BenchDatabase(string connectionString, string source, LocalPostgres? cluster, string? admin, string? created, bool keep)
    {
        ConnectionString = connectionString;
        Source = source;
        _cluster = cluster;
        _adminConnectionString = admin;
        _createdDatabase = created;
        _keep = keep;
    }

    public string ConnectionString { get; }
    public string Source { get; }
    public bool IsLocalCluster => _cluster is not null;

    /// <summary>The postmaster's pid, to count the cluster's CPU time; null for a server the user gave.</summary>
    public int? PostmasterPid()
    {
        if (_cluster is null) return null;
        try
        {
            var first = File.ReadLines(Path.Combine(_cluster.DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, out var pid) ? pid : null;
        }
        catch (IOException) { return null; }
    }

    public static async Task<BenchDatabase> StartAsync(BenchOptions options, Action<string> log, CancellationToken ct)
    {
        if (options.ConnectionString is { } given)
        {
            var name = $"defence_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
            await using (var admin = new NpgsqlConnection(given))
            {
                await admin.OpenAsync(ct);
                await using var create = new NpgsqlCommand($"create database {name}", admin);
                await create.ExecuteNonQueryAsync(ct);
            }
            var connectionString = new NpgsqlConnectionStringBuilder(given) { Database = name }.ConnectionString;
            log($"Created database {name} on the given server.");
            return new BenchDatabase(connectionString, $"the given server, fresh database {name}", null, given, name, options.Keep);
        }

        var directory = Path.Combine(options.WorkDirectory, "pg");
        if (Directory.Exists(directory))
        {
            // A previous run's cluster: stop it if it still runs, and start from nothing.
            log($"Removing the previous run's cluster in {directory}.");
            if (File.Exists(Path.Combine(directory, "postmaster.pid")))
                await (await LocalPostgres.StartAsync(directory, ct: ct)).StopAsync();
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(options.WorkDirectory);

        var cluster = await LocalPostgres.StartAsync(directory, durable: true, ct: ct);
        if (options.PgStatStatements)
        {
            await ExecuteAsync(cluster.ConnectionString, "alter system set shared_preload_libraries = 'pg_stat_statements'", ct);
            await cluster.StopAsync();
            NpgsqlConnection.ClearAllPools(); // the pooled connections died with the server
            cluster = await LocalPostgres.StartAsync(directory, cluster.Port, durable: true, ct: ct);
            await ExecuteAsync(cluster.ConnectionString, "create extension if not exists pg_stat_statements", ct);
        }
        log($"Started a durable local PostgreSQL in {directory} on port {cluster.Port}.");
        return new BenchDatabase(cluster.ConnectionString, $"a local cluster from {cluster.BinDirectory} (bench defaults)", cluster, null, null, options.Keep);
    }

    /// <summary>Server facts printed with the table: version and the durability settings.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SettingsAsync(CancellationToken ct)
    {
        var settings = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        foreach (var name in new[] { "server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_connections" })
        {
            await using var show = new NpgsqlCommand($"show {name}", connection);
            settings[name] = (string)(await show.ExecuteScalarAsync(ct))!;
        }
        return settings;
    }

    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_keep) return;
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
            try { Directory.Delete(_cluster.DataDirectory, recursive: true); }
            catch (IOException) { }
        }
        else if (_adminConnectionString is not null && _createdDatabase is not null)
        {
            await ExecuteAsync(_adminConnectionString, $"drop database if exists {_createdDatabase} with (force)", CancellationToken.None);
        }
    }
}
