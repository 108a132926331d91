using Defence.Api.Hosting;
using Defence.Api.Tests.Infrastructure;
using Npgsql;

namespace Defence.Api.Tests.Hosting;

/// <summary>Each of the three ways the tests (and the API) find a PostgreSQL, exercised here.</summary>
public sealed class TestDatabaseTests
{
    static async Task<int> SelectOne(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task a_connection_string_in_the_environment_is_used_before_anything_else()
    {
        var previous = Environment.GetEnvironmentVariable(TestDatabase.ConnectionStringVariable);
        Environment.SetEnvironmentVariable(TestDatabase.ConnectionStringVariable, "Host=given.example;Database=x");
        try
        {
            await using var database = await TestDatabase.StartAsync();

            Assert.Equal("Host=given.example;Database=x", database.ConnectionString);
            Assert.Contains(TestDatabase.ConnectionStringVariable, database.Source);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TestDatabase.ConnectionStringVariable, previous);
        }
    }

    [Fact]
    public async Task testcontainers_starts_postgres_when_a_docker_engine_answers_and_says_so_clearly_when_none_does()
    {
        if (await DockerEngine.AnswersAsync())
        {
            await using var database = await TestDatabase.StartContainerAsync();
            Assert.Equal(1, await SelectOne(database.ConnectionString));
        }
        else
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(TestDatabase.StartContainerAsync);
            Assert.Contains("No Docker engine answers", error.Message);
        }
    }

    [Fact]
    public async Task a_local_cluster_is_created_from_the_installed_binaries_and_reused_when_started_again()
    {
        Assert.NotNull(LocalPostgres.FindBinaries());
        var directory = Path.Combine(Path.GetTempPath(), $"defence-reuse-{Guid.NewGuid():N}");
        var first = await LocalPostgres.StartAsync(directory, durable: false);
        try
        {
            await using (var connection = new NpgsqlConnection(first.ConnectionString))
            {
                await connection.OpenAsync();
                await new NpgsqlCommand("create table kept (id int)", connection).ExecuteNonQueryAsync();
            }

            var again = await LocalPostgres.StartAsync(directory);

            Assert.Equal(first.Port, again.Port);
            await using var reopened = new NpgsqlConnection(again.ConnectionString);
            await reopened.OpenAsync();
            Assert.Equal(0L, await new NpgsqlCommand("select count(*) from kept", reopened).ExecuteScalarAsync());
        }
        finally
        {
            await first.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
