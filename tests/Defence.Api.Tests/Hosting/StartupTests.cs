using Defence.Api.Hosting;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defence.Api.Tests.Hosting;

public sealed class StartupTests
{
    static IConfiguration Config(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [Fact]
    public void the_api_refuses_to_start_without_token_validation_and_names_the_settings()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseEnvironment("Production"));

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        var message = error.GetBaseException().Message;
        Assert.Contains("Authentication:Schemes:Bearer:ValidIssuer", message);
        Assert.Contains("SigningKeys", message);
    }

    [Fact]
    public void identity_setup_refuses_a_configuration_without_tenants()
    {
        var settings = ApiFixture.Settings("Host=unused").Where(s => !s.Key.StartsWith("Tenants")).ToDictionary();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddDefenceIdentity(Config(settings)));

        Assert.Contains("Tenants:<key>:EntraTenantIds:0", error.Message);
    }

    [Fact]
    public void the_same_entra_tenant_cannot_belong_to_two_product_tenants()
    {
        var settings = ApiFixture.Settings("Host=unused");
        settings[$"Tenants:{ApiFixture.Mps}:EntraTenantIds:1"] = ApiFixture.MduTid;
        var services = new ServiceCollection().AddDefenceIdentity(Config(settings)).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<TenantRegistry>());

        Assert.Contains(ApiFixture.MduTid, error.Message);
    }

    [Fact]
    public async Task a_configured_connection_string_is_used_as_given()
    {
        var config = Config(new() { ["ConnectionStrings:Marten"] = "Host=db.example;Database=defence" });

        Assert.Equal("Host=db.example;Database=defence", await DatabaseSetup.ResolveConnectionStringAsync(config, NullLogger.Instance));
    }

    [Fact]
    public async Task without_a_connection_string_or_local_postgres_the_api_says_what_to_set()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DatabaseSetup.ResolveConnectionStringAsync(Config(new()), NullLogger.Instance));

        Assert.Contains("ConnectionStrings__Marten", error.Message);
        Assert.Contains("Database__StartLocalPostgres", error.Message);
    }
}
