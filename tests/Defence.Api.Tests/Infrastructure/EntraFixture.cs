using System.Net.Http.Headers;
using JasperFx.CommandLine;
using Defence.Api.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// The API configured for production identity (Microsoft.Identity.Web, section <c>AzureAd</c>) against a
/// real OpenID Connect issuer on loopback (<see cref="OidcIssuer"/>), over its own PostgreSQL.
/// </summary>
public sealed class EntraFixture : IAsyncLifetime
{
    /// <summary>A made-up app registration: the multi-tenant app's client id and its Application ID URI.</summary>
    public const string ClientId = "0d3fe4ce-7e57-4000-8000-00000000a11d";
    public const string Audience = "api://defence-tests";
    const string MultiTenant = "organizations";

    OidcIssuer? _issuer;
    TestDatabase? _database;
    WebApplicationFactory<Program>? _factory;

    public OidcIssuer Issuer => _issuer ?? throw new InvalidOperationException("Not started.");
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        try
        {
            // Identity.Web reads <Instance><TenantId>/v2.0/.well-known/openid-configuration, as from Entra ID.
            _issuer = await OidcIssuer.StartAsync($"/{MultiTenant}/v2.0");
            _database = await TestDatabase.StartAsync();

            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Marten"] = _database.ConnectionString,
                ["AzureAd:Instance"] = _issuer.Url + "/",
                ["AzureAd:TenantId"] = MultiTenant,
                ["AzureAd:ClientId"] = ClientId,
                ["AzureAd:Audience"] = Audience,
                [$"Tenants:{ApiFixture.Mdu}:EntraTenantIds:0"] = ApiFixture.MduTid,
                [$"Tenants:{ApiFixture.Mps}:EntraTenantIds:0"] = ApiFixture.MpsTid,
            };

            var issuer = _issuer.Url;
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Testing");
                foreach (var (key, value) in settings) web.UseSetting(key, value);
                web.ConfigureServices(services =>
                {
                    services.RunWolverineInSoloMode();
                    // Test host only. Two settings let Identity.Web talk to a loopback issuer; every check of the
                    // library stays in force (signature against the issuer's JWKS, audience, lifetime, the
                    // Entra issuer validator with its tid requirement, roles-or-scopes):
                    services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
                    {
                        // The issuer serves plain http on 127.0.0.1; production metadata is always https.
                        options.RequireHttpsMetadata = false;
                        // Identity.Web's AadIssuerValidator accepts an issuer listed here before it consults Entra's
                        // issuer metadata (which a non-Entra issuer cannot match). Listing exactly the mock issuer
                        // keeps the validator itself in place: any other issuer is still refused.
                        options.TokenValidationParameters.ValidIssuers = [issuer];
                    });
                    // The pages' OpenID Connect sign-in reads the same plain-http issuer (Pages/EntraSignInTests tests it).
                    services.Configure<OpenIdConnectOptions>(PageSignIn.OpenIdConnectScheme, options => options.RequireHttpsMetadata = false);
                });
            });
            _ = _factory.Server;
        }
        catch
        {
            await DisposeAsync(); // stop the issuer and the PostgreSQL cluster if they started, then fail
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }

    /// <summary>The claims Entra ID puts in an access token for this API, for this user.</summary>
    public static Dictionary<string, object?> Claims(TestUser user) => new()
    {
        ["aud"] = Audience,
        ["tid"] = user.Tid,
        ["oid"] = user.Id.ToString(),
        ["roles"] = user.Roles,
        ["name"] = $"Test user {user.Id.ToString()[..8]}",
    };

    public Task<string> TokenFor(TestUser user, Action<Dictionary<string, object?>>? change = null)
    {
        var claims = Claims(user);
        change?.Invoke(claims);
        return Issuer.TokenAsync(claims);
    }

    public HttpClient WithToken(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> As(TestUser user) => WithToken(await TokenFor(user));
}

[CollectionDefinition(Name)]
public sealed class EntraCollection : ICollectionFixture<EntraFixture>
{
    public const string Name = "entra";
}
