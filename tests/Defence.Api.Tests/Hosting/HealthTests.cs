using System.Diagnostics;
using System.Net;
using Defence.Api.Hosting;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Defence.Projections.Trends;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Defence.Api.Tests.Hosting;

/// <summary>
/// Probes: live says the process answers, ready says the database answers and the trend projection is not stalled.
/// Anyone may ask both, so they answer a bare status and nothing about the database or the tenants.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HealthTests(ApiFixture api)
{
    [Fact]
    public async Task liveness_and_readiness_answer_anyone_with_a_bare_status()
    {
        await api.As(TestUser.Member()).ReportCase();
        await api.ProjectionsCaughtUp();

        var live = await api.Anonymous().GetAsync(Readiness.LivePath);
        var ready = await api.Anonymous().GetAsync(Readiness.ReadyPath);

        await live.ShouldHave(HttpStatusCode.OK);
        await ready.ShouldHave(HttpStatusCode.OK);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task readiness_answers_503_within_seconds_while_the_database_is_out_of_reach_and_recovers_without_a_restart()
    {
        var database = new NpgsqlConnectionStringBuilder(await api.NewDatabaseAsync("health"));
        using var proxy = new TcpProxy(database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = proxy.Port;
        await using var host = Host(database.ConnectionString);
        var anonymous = host.CreateClient();
        await (await anonymous.GetAsync(Readiness.ReadyPath)).ShouldHave(HttpStatusCode.OK);

        proxy.Cut();
        var clock = Stopwatch.StartNew();
        var down = await anonymous.GetAsync(Readiness.ReadyPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Readiness took {clock.Elapsed} to answer.");
        Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
        await (await anonymous.GetAsync(Readiness.LivePath)).ShouldHave(HttpStatusCode.OK);

        proxy.Restore();
        Assert.True(await EventuallyAsync(async () => (await anonymous.GetAsync(Readiness.ReadyPath)).StatusCode == HttpStatusCode.OK),
            "Readiness did not recover after the database came back.");
    }

    [Fact]
    public async Task readiness_answers_503_while_the_trend_projection_is_stalled_and_200_once_it_moves()
    {
        var connectionString = await api.NewDatabaseAsync("health");
        await using var host = Host(connectionString, (Readiness.StalledSetting, "1"));
        var member = host.CreateClient();
        member.DefaultRequestHeaders.Authorization = new("Bearer",
            host.Services.GetRequiredService<DevelopmentTokens>().Create(ApiFixture.MduTid, Guid.NewGuid(), [Roles.Member]));
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await member.ReportCase();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        // Holding the projection's progress row stops it from recording any progress, as a stuck daemon would.
        await using (var holder = new NpgsqlConnection(connectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand(
                             "select 1 from defence.mt_event_progression where name = @name for update", holder, transaction))
            {
                hold.Parameters.AddWithValue("name", $"{TrendProjection.ProjectionName}:All");
                Assert.Equal(1, await hold.ExecuteScalarAsync());
            }
            await member.ReportCase();

            Assert.True(await EventuallyAsync(async () => (await host.CreateClient().GetAsync(Readiness.ReadyPath)).StatusCode == HttpStatusCode.ServiceUnavailable),
                "Readiness stayed 200 while the projection could not move.");
            await transaction.RollbackAsync();
        }

        Assert.True(await EventuallyAsync(async () => (await host.CreateClient().GetAsync(Readiness.ReadyPath)).StatusCode == HttpStatusCode.OK),
            "Readiness did not recover once the projection could move.");
    }

    static WebApplicationFactory<Program> Host(string connectionString, params (string Key, string Value)[] extra)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in ApiFixture.Settings(connectionString)) web.UseSetting(key, value);
            foreach (var (key, value) in extra) web.UseSetting(key, value);
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
        _ = factory.Server;
        return factory;
    }

    static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(200);
        }
        return false;
    }
}
