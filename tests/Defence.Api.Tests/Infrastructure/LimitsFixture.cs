using System.Net;
using System.Net.Http.Headers;
using Defence.Api.Identity;
using Defence.Api.Limits;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// The API on real Kestrel (so request bodies stream as they do in production) with small abuse limits,
/// over its own PostgreSQL. The shared <see cref="ApiFixture"/> keeps generous limits so other tests never trip them.
/// </summary>
public sealed class LimitsFixture : IAsyncLifetime
{
    public const int ReportsPerWindow = 3;
    public const int ImportsPerWindow = 2;
    public const int WindowSeconds = 60;
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxImportBodyBytes = 256 * 1024;

    TestDatabase? _database;
    WebApplicationFactory<Program>? _factory;
    DevelopmentTokens? _tokens;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        try
        {
            _database = await TestDatabase.StartAsync();

            var settings = ApiFixture.Settings(_database.ConnectionString);
            settings["RateLimits:Reports:PermitLimit"] = ReportsPerWindow.ToString();
            settings["RateLimits:Reports:WindowSeconds"] = WindowSeconds.ToString();
            settings["RateLimits:Imports:PermitLimit"] = ImportsPerWindow.ToString();
            settings["RateLimits:Imports:WindowSeconds"] = WindowSeconds.ToString();
            settings["Limits:MaxRequestBodyBytes"] = MaxBodyBytes.ToString();
            settings["Limits:MaxImportBodyBytes"] = MaxImportBodyBytes.ToString();

            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Testing");
                foreach (var (key, value) in settings) web.UseSetting(key, value);
                web.ConfigureServices(services => services.RunWolverineInSoloMode());
            });
            _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            _factory.StartServer();
            _tokens = _factory.Services.GetRequiredService<DevelopmentTokens>();
        }
        catch
        {
            await DisposeAsync(); // stop the PostgreSQL cluster if it started, then fail
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    public HttpClient As(TestUser user)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens!.Create(user.Tid, user.Id, user.Roles));
        return client;
    }
}

/// <summary>
/// <c>POST /api/imports/cases</c> does not exist yet; this test-only endpoint carries the "imports" policy
/// in its place, behind the same authentication, authorization and limits as the API's own pipeline.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsFixture>
{
    public const string Name = "limits";
}
