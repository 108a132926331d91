using System.Net;
using System.Net.Sockets;
using Defence.Api.Hosting;
using Defence.Api.Tests.Deployment;
using Defence.Api.Tests.Infrastructure;
using Npgsql;

namespace Defence.Api.Tests.Hosting;

/// <summary>What a newcomer meets running the API locally: a clear word when the port is taken, and a command that stops or removes the local PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class FirstHourTests(ApiFixture api)
{
    [Fact]
    public async Task a_taken_port_is_one_clear_line_naming_the_setting_not_a_stack_trace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var environment = ApiProcess.AsEnvironment(ApiFixture.Settings(await api.NewDatabaseAsync("port")));
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // what a newcomer runs

        var result = await ApiProcess.RunAsync([], environment, TimeSpan.FromMinutes(2));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=<port>", result.Error);
        Assert.DoesNotContain("   at ", result.All);
    }

    [Fact]
    public async Task local_postgres_stop_stops_the_development_cluster_and_remove_deletes_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"defence-local-{Guid.NewGuid():N}");
        var cluster = await LocalPostgres.StartAsync(directory, durable: false);
        var environment = ApiProcess.AsEnvironment(ApiFixture.Settings("").Where(s => s.Key != "ConnectionStrings:Marten").ToDictionary());
        environment["Database__LocalDataDirectory"] = directory;

        var stopped = await ApiProcess.RunAsync([LocalPostgresCommand.Name, "stop"], environment, TimeSpan.FromMinutes(1));

        Assert.True(stopped.ExitCode == 0, stopped.All);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString);
            await connection.OpenAsync();
        });
        Assert.True(File.Exists(Path.Combine(directory, "PG_VERSION")), "stop removed the data");

        var removed = await ApiProcess.RunAsync([LocalPostgresCommand.Name, "remove"], environment, TimeSpan.FromMinutes(1));

        Assert.True(removed.ExitCode == 0, removed.All);
        Assert.False(Directory.Exists(directory));
    }
}
