using System.Diagnostics;
using Defence.Api.Hosting;
using Testcontainers.PostgreSql;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL the tests run against, chosen in order: the connection string in
/// <c>DEFENCE_TEST_CONNECTION_STRING</c>; else a Testcontainers container when a Docker engine answers;
/// else a throwaway cluster from the installed PostgreSQL binaries. Never a mock.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ConnectionStringVariable = "DEFENCE_TEST_CONNECTION_STRING";

    readonly Func<Task> _stop;

    TestDatabase(string connectionString, string source, Func<Task> stop)
    {
        ConnectionString = connectionString;
        Source = source;
        _stop = stop;
    }

    public string ConnectionString { get; }
    /// <summary>Which of the three ways gave this database, for the test log.</summary>
    public string Source { get; }

    public static async Task<TestDatabase> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } given)
            return new TestDatabase(given, $"the {ConnectionStringVariable} environment variable", () => Task.CompletedTask);

        if (await DockerEngine.AnswersAsync())
            return await StartContainerAsync();

        return await StartLocalClusterAsync();
    }

    public static async Task<TestDatabase> StartContainerAsync()
    {
        if (!await DockerEngine.AnswersAsync())
            throw new InvalidOperationException(
                "No Docker engine answers ('docker version' failed), so Testcontainers cannot start PostgreSQL. " +
                $"Start a Docker engine, set {ConnectionStringVariable}, or install the PostgreSQL server binaries.");

        var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
        await container.StartAsync();
        return new TestDatabase(container.GetConnectionString(), "a Testcontainers PostgreSQL container",
            async () => await container.DisposeAsync());
    }

    public static async Task<TestDatabase> StartLocalClusterAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"defence-test-pg-{Guid.NewGuid():N}");
        var cluster = await LocalPostgres.StartAsync(directory, durable: false);
        return new TestDatabase(cluster.ConnectionString, $"a throwaway local cluster in {directory}", async () =>
        {
            await cluster.StopAsync();
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { /* a leftover temp folder is harmless */ }
            catch (UnauthorizedAccessException) { }
        });
    }

    public ValueTask DisposeAsync() => new(_stop());
}

public static class DockerEngine
{
    /// <summary>True when a Docker engine (not just the client) answers within a few seconds.</summary>
    public static async Task<bool> AnswersAsync()
    {
        try
        {
            var start = new ProcessStartInfo("docker", "version --format {{.Server.Version}}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }
}
