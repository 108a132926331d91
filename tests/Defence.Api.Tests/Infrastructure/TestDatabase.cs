using Defence.Api.Hosting;

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
        var container = await PostgresContainer.StartAsync(reuse: false);
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
