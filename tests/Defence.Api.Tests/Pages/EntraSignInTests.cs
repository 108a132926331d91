using System.Net;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Wolverine;

namespace Defence.Api.Tests.Pages;

/// <summary>
/// The pages configured for Entra ID (Microsoft.Identity.Web's web-app sign-in beside its API validation) on Kestrel,
/// against the real OpenID Connect issuer the API's Entra tests run (oauth2-mock-server), with Chromium.
/// </summary>
public sealed class EntraPagesFixture : IAsyncLifetime
{
    OidcIssuer? _issuer;
    TestDatabase? _database;
    WebApplicationFactory<Program>? _factory;
    IPlaywright? _playwright;
    IBrowser? _browser;

    public OidcIssuer Issuer => _issuer ?? throw new InvalidOperationException("Not started.");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");
    public string BaseUrl { get; private set; } = "";
    /// <summary>What the host logged, so a refused sign-in says why.</summary>
    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        try
        {
            _issuer = await OidcIssuer.StartAsync("/organizations/v2.0");
            _database = await TestDatabase.StartAsync();
            var issuer = _issuer.Url;
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Testing");
                foreach (var (key, value) in new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Marten"] = _database.ConnectionString,
                    ["AzureAd:Instance"] = issuer + "/",
                    ["AzureAd:TenantId"] = "organizations",
                    ["AzureAd:ClientId"] = EntraFixture.ClientId,
                    ["AzureAd:Audience"] = EntraFixture.Audience,
                    ["AzureAd:ClientSecret"] = "test-only-secret",
                    [$"Tenants:{ApiFixture.Mdu}:EntraTenantIds:0"] = ApiFixture.MduTid,
                })
                    web.UseSetting(key, value);
                web.ConfigureLogging(logging => logging.AddProvider(Logs));
                web.ConfigureServices(services =>
                {
                    services.RunWolverineInSoloMode();
                    // Test host only, as in EntraFixture: a plain-http loopback issuer, listed as the one valid issuer
                    // (Identity.Web's issuer validator stays in place). The mock answers /authorize only in the query.
                    services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
                    {
                        o.RequireHttpsMetadata = false;
                        o.TokenValidationParameters.ValidIssuers = [issuer];
                    });
                    services.Configure<OpenIdConnectOptions>(PageSignIn.OpenIdConnectScheme, o =>
                    {
                        o.RequireHttpsMetadata = false;
                        o.TokenValidationParameters.ValidIssuers = [issuer];
                        o.ResponseMode = "query";
                    });
                });
            });
            _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            _factory.StartServer();
            BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            (_playwright, _browser) = await Chromium.LaunchAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }

    /// <summary>A browser session whose next sign-in at the issuer is as <paramref name="user"/>, as a person would sign in at Entra ID.</summary>
    public async Task<IPage> BrowserSigningInAtTheIssuerAs(TestUser user)
    {
        await Issuer.NextSignInAsync(EntraFixture.Claims(user).Where(c => c.Key != "aud").ToDictionary());
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });
        return await context.NewPageAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EntraPagesCollection : ICollectionFixture<EntraPagesFixture>
{
    public const string Name = "entra-pages";
}

[Collection(EntraPagesCollection.Name)]
public sealed class EntraSignInTests(EntraPagesFixture entra)
{
    [Fact]
    public async Task a_member_signs_in_with_openid_connect_reaches_the_portal_and_signs_out()
    {
        var page = await entra.BrowserSigningInAtTheIssuerAs(TestUser.Member());

        await page.GotoAsync("/portal");

        Assert.True(new Uri(page.Url).AbsolutePath == "/portal",
            string.Join("\n", entra.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Report an incident" })).ToBeVisibleAsync();
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == PageSignIn.CookieName);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == PageSignIn.CookieName);
    }

    [Fact]
    public async Task a_sign_in_from_an_unregistered_organisation_is_refused_and_gets_no_session()
    {
        var page = await entra.BrowserSigningInAtTheIssuerAs(TestUser.Member(ApiFixture.UnregisteredTid));

        var answer = await page.GotoAsync("/portal");

        Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
        Assert.Equal((int)HttpStatusCode.Forbidden, answer!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your sign-in was refused" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == PageSignIn.CookieName);
        Assert.Contains(entra.Logs.Entries, e => e.Text.Contains("(tid) is not registered", StringComparison.Ordinal));
    }
}
