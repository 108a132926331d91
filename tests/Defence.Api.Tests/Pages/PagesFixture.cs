using System.Net;
using System.Text.RegularExpressions;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wolverine;

namespace Defence.Api.Tests.Pages;

/// <summary>
/// The API with its pages in the Development environment (so /dev/sign-in exists) on a real Kestrel port over its
/// own PostgreSQL, and one headless Chromium (Debian's, driven by Playwright) for every browser test.
/// </summary>
public sealed partial class PagesFixture : IAsyncLifetime
{
    TestDatabase? _database;
    WebApplicationFactory<Program>? _factory;
    IPlaywright? _playwright;
    IBrowser? _browser;

    public string BaseUrl { get; private set; } = "";
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");
    public IDocumentStore Store => Factory.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        try
        {
            _database = await TestDatabase.StartAsync();
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Development");
                foreach (var (key, value) in ApiFixture.Settings(_database.ConnectionString)) web.UseSetting(key, value);
                web.ConfigureServices(services => services.RunWolverineInSoloMode());
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
    }

    /// <summary>A fresh browser session (its own cookies) at a phone's or a desktop's width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            JavaScriptEnabled = javaScript,
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through /dev/sign-in, prefilled from the query string as API.md describes: one click.</summary>
    public static async Task SignInAsync(IPage page, TestUser user, string returnUrl)
    {
        var tenant = ApiFixture.TenantKeyOf(user.Tid);
        await page.GotoAsync($"/dev/sign-in?tenant={tenant}&role={user.Roles[0]}&user={user.Id}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == returnUrl.Split('?')[0]);
    }

    /// <summary>An HTTP client that keeps cookies and follows no redirect, signed in as <paramref name="user"/> through /dev/sign-in.</summary>
    public async Task<HttpClient> SignedInClientAsync(TestUser? user)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl),
        };
        if (user is null) return client;
        var form = await client.GetStringAsync("/dev/sign-in");
        var tenant = ApiFixture.TenantKeyOf(user.Tid);
        var response = await client.PostAsync("/dev/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__antiforgery"] = AntiforgeryToken(form),
            ["tenant"] = tenant,
            ["role"] = user.Roles[0],
            ["user"] = user.Id.ToString(),
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static string AntiforgeryToken(string html) =>
        AntiforgeryInput().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no anti-forgery token.");

    /// <summary>A bearer-token client for setting up cases quickly through the API.</summary>
    public HttpClient Api(TestUser user)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var token = Factory.Services.GetRequiredService<DevelopmentTokens>().Create(user.Tid, user.Id, user.Roles);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsOf(string tenant, Guid caseId)
    {
        await using var session = Store.QuerySession(tenant);
        return await session.Events.FetchStreamAsync(caseId);
    }

    [GeneratedRegex("name=\"__antiforgery\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<PagesFixture>
{
    public const string Name = "pages";
}

/// <summary>Debian's Chromium, checked against the major version Playwright 1.64 drives.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";
    /// <summary>The Chromium major version Playwright 1.64's own build has; Debian's must match to be driven reliably.</summary>
    public const string ExpectedMajorVersion = "156";

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ExecutablePath}: run 'apt-get install -y chromium' as root (.ci/run does).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
        if (browser.Version.Split('.')[0] != ExpectedMajorVersion)
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            throw new InvalidOperationException(
                $"Chromium {browser.Version} is installed; Playwright 1.64 drives Chromium {ExpectedMajorVersion}. Update Microsoft.Playwright with Debian's Chromium.");
        }
        return (playwright, browser);
    }
}
