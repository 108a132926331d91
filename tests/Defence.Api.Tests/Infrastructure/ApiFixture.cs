using System.Net.Http.Headers;
using System.Security.Cryptography;
using Defence.Api.Identity;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// One API host over one real PostgreSQL for the whole test run, running the committed generated
/// endpoint code as production does. Tests keep apart by using fresh ids, members and advisers, never by cleaning up.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Mdu = "mdu";
    public const string Mps = "mps";
    public const string MduTid = "aaaaaaaa-0000-0000-0000-000000000001";
    public const string MpsTid = "bbbbbbbb-0000-0000-0000-000000000002";
    public const string UnregisteredTid = "cccccccc-0000-0000-0000-000000000003";

    /// <summary>
    /// Tenants made for this run only, for tests that count everything a tenant has (trends, imports, audit). Each
    /// such test takes one with <see cref="NewTenant"/>, so it counts only what it made itself, on a fresh database
    /// or on one reused from earlier runs (whose tenants had other keys).
    /// </summary>
    public static readonly IReadOnlyList<TestTenant> OwnTenants = TenantsOfThisRun(300);

    static int _ownTenantsTaken;

    /// <summary>A tenant no other test and no earlier run has used.</summary>
    public static TestTenant NewTenant()
    {
        var next = Interlocked.Increment(ref _ownTenantsTaken) - 1;
        return next < OwnTenants.Count
            ? OwnTenants[next]
            : throw new InvalidOperationException($"All {OwnTenants.Count} tenants of this run are taken: configure more in ApiFixture.OwnTenants.");
    }

    /// <summary>The tenant key a test user's <c>tid</c> maps to in <see cref="Settings"/>.</summary>
    public static string TenantKeyOf(string tid) =>
        tid == MduTid ? Mdu : tid == MpsTid ? Mps
        : OwnTenants.SingleOrDefault(t => t.Tid == tid)?.Key ?? throw new ArgumentException($"No tenant of the tests has tid {tid}.", nameof(tid));

    static TestTenant[] TenantsOfThisRun(int count)
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        return Enumerable.Range(0, count).Select(i => new TestTenant($"run-{run}-{i}", Guid.NewGuid().ToString())).ToArray();
    }

    public const string Issuer = "defence-tests";
    public const string Audience = "defence-api";

    /// <summary>A key made for this run only, so no test secret lives in the repository.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    TestDatabase? _database;
    WebApplicationFactory<Program>? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not started.");
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");
    public IDocumentStore Store => Factory.Services.GetRequiredService<IDocumentStore>();
    public DevelopmentTokens Tokens => Factory.Services.GetRequiredService<DevelopmentTokens>();

    /// <summary>Everything the API has logged in this run, at every level.</summary>
    public LogCapture Logs { get; } = new();

    public static Dictionary<string, string?> Settings(string connectionString)
    {
        var settings = BaseSettings(connectionString);
        foreach (var tenant in OwnTenants) settings[$"Tenants:{tenant.Key}:EntraTenantIds:0"] = tenant.Tid;
        return settings;
    }

    static Dictionary<string, string?> BaseSettings(string connectionString) => new()
    {
        ["ConnectionStrings:Marten"] = connectionString,
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = SigningKey,
        [$"Tenants:{Mdu}:EntraTenantIds:0"] = MduTid,
        [$"Tenants:{Mps}:EntraTenantIds:0"] = MpsTid,
        // Many tests report cases, some as one member; the limits themselves are tested on LimitsFixture's host.
        ["RateLimits:Reports:PermitLimit"] = "100000",
    };

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        _database = await TestDatabase.StartAsync();
        Console.WriteLine($"Tests use PostgreSQL from {_database.Source}.");

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            // UseSetting, not ConfigureAppConfiguration: Program reads these while registering services.
            foreach (var (key, value) in Settings(_database.ConnectionString))
                web.UseSetting(key, value);
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
            web.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
        });
        _ = _factory.Server; // start the host now, not inside the first test
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>A client whose calls carry a token for this user.</summary>
    public HttpClient As(TestUser user)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user));
        return client;
    }

    public string Token(TestUser user, TimeSpan? lifetime = null) =>
        Tokens.Create(user.Tid, user.Id, user.Roles, lifetime: lifetime);

    /// <summary>A new, empty database on the test run's PostgreSQL server, for a host of a test's own.</summary>
    public async Task<string> NewDatabaseAsync(string purpose)
    {
        var name = $"defence_{purpose}_{Guid.NewGuid():N}";
        await using (var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Waits until the async projections (the trends) have applied every event so far.</summary>
    public Task ProjectionsCaughtUp() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    /// <summary>How many events a tenant has, whatever their stream.</summary>
    public async Task<long> EventCount(string tenant)
    {
        await using var session = Store.QuerySession(tenant);
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    /// <summary>How many events of a tenant a user appended (their <c>oid</c> as the event's user name).</summary>
    public async Task<long> EventCount(string tenant, Guid user)
    {
        await using var session = Store.QuerySession(tenant);
        var name = user.ToString();
        return await session.Events.QueryAllRawEvents().Where(e => e.UserName == name).CountAsync();
    }

    /// <summary>The events of a case stream as the tenant's store holds them.</summary>
    public async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsOf(string tenant, Guid caseId)
    {
        await using var session = Store.QuerySession(tenant);
        return await session.Events.FetchStreamAsync(caseId);
    }
}

/// <summary>A product tenant (its key, as events store it) and the Entra tenant id whose tokens map to it.</summary>
public sealed record TestTenant(string Key, string Tid)
{
    public TestUser Member() => TestUser.Member(Tid);
    public TestUser Adviser() => TestUser.Adviser(Tid);
    public TestUser Analyst() => TestUser.Analyst(Tid);
    public TestUser TenantAdmin() => TestUser.TenantAdmin(Tid);
}

public sealed record TestUser(string Tid, Guid Id, string[] Roles)
{
    public static TestUser Member(string tid = ApiFixture.MduTid) => new(tid, Guid.NewGuid(), [Defence.Api.Identity.Roles.Member]);
    public static TestUser Adviser(string tid = ApiFixture.MduTid) => new(tid, Guid.NewGuid(), [Defence.Api.Identity.Roles.Adviser]);
    public static TestUser Analyst(string tid = ApiFixture.MduTid) => new(tid, Guid.NewGuid(), [Defence.Api.Identity.Roles.Analyst]);
    public static TestUser TenantAdmin(string tid = ApiFixture.MduTid) => new(tid, Guid.NewGuid(), [Defence.Api.Identity.Roles.TenantAdmin]);
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
