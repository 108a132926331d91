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

    static Dictionary<string, string?> EntraSettings() => new()
    {
        ["ConnectionStrings:Marten"] = "Host=unused",
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "organizations",
        ["AzureAd:ClientId"] = EntraFixture.ClientId,
        ["AzureAd:Audience"] = EntraFixture.Audience,
        [$"Tenants:{ApiFixture.Mdu}:EntraTenantIds:0"] = ApiFixture.MduTid,
    };

    static WebApplicationFactory<Program> Host(string environment, Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            foreach (var (key, value) in settings) web.UseSetting(key, value);
        });

    [Fact]
    public void the_api_refuses_to_start_without_token_validation_and_names_both_sets_of_settings()
    {
        using var factory = Host("Production", []);

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        var message = error.GetBaseException().Message;
        Assert.Contains("AzureAd:Instance", message);
        Assert.Contains("AzureAd:TenantId", message);
        Assert.Contains("AzureAd:ClientId", message);
        Assert.Contains("AzureAd:Audience", message);
        Assert.Contains("Authentication:Schemes:Bearer:ValidIssuer", message);
        Assert.Contains("SigningKeys", message);
    }

    [Fact]
    public void an_azure_ad_client_id_selects_entra_validation()
    {
        Assert.Equal(TokenValidation.Entra, IdentitySetup.ChooseTokenValidation(Config(EntraSettings())));
        Assert.Equal(TokenValidation.DevelopmentKey, IdentitySetup.ChooseTokenValidation(Config(ApiFixture.Settings("Host=unused"))));
    }

    [Fact]
    public void the_api_refuses_to_start_when_entra_and_a_development_key_are_both_configured()
    {
        var settings = ApiFixture.Settings("Host=unused");
        foreach (var (key, value) in EntraSettings()) settings[key] = value;

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddDefenceIdentity(Config(settings)));

        Assert.Contains("Authentication:Schemes:Bearer", error.Message);
        Assert.Contains("AzureAd:ClientId", error.Message);
    }

    [Fact]
    public void the_api_refuses_an_azure_ad_client_id_without_instance_and_tenant()
    {
        var settings = EntraSettings();
        settings.Remove("AzureAd:Instance");

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddDefenceIdentity(Config(settings)));

        Assert.Contains("AzureAd:Instance", error.Message);
        Assert.Contains("AzureAd:TenantId", error.Message);
    }

    [Fact]
    public void the_api_refuses_to_start_with_an_entra_authority_that_is_not_https()
    {
        var settings = EntraSettings();
        settings["AzureAd:Instance"] = "http://login.example/";
        using var factory = Host("Production", settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("HTTPS", error.GetBaseException().Message);
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
    public void a_configured_connection_string_is_used_as_given()
    {
        var config = Config(new() { ["ConnectionStrings:Marten"] = "Host=db.example;Database=defence" });

        Assert.Equal("Host=db.example;Database=defence", DatabaseSetup.ConnectionString(config));
    }

    [Fact]
    public void without_a_connection_string_or_local_postgres_the_api_says_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSetup.ConnectionString(Config(new())));

        Assert.Contains("ConnectionStrings__Marten", error.Message);
        Assert.Contains("Database__StartLocalPostgres", error.Message);
    }

    [Theory]
    [InlineData("Host=db;Database=defence", null, 64)]
    [InlineData("Host=db;Database=defence", "0", 0)]
    [InlineData("Host=db;Database=defence", "20", 20)]
    [InlineData("Host=db;Database=defence;Max Auto Prepare=0", "20", 0)]
    [InlineData("Host=db;Database=defence;Max Auto Prepare=7", null, 7)]
    public void statements_are_prepared_automatically_unless_the_connection_string_or_setting_says_otherwise(string connectionString, string? setting, int expected)
    {
        var configuration = Config(new() { ["Database:MaxAutoPrepare"] = setting });

        var result = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.WithStatementPreparation(connectionString, configuration));

        Assert.Equal(expected, result.MaxAutoPrepare);
        Assert.Equal("db", result.Host);
    }

    [Theory]
    [InlineData("Host=db;Database=defence", null, true)]
    [InlineData("Host=db;Database=defence", "true", false)]
    [InlineData("Host=db;Database=defence;No Reset On Close=false", null, false)]
    [InlineData("Host=db;Database=defence;No Reset On Close=true", "true", true)]
    public void pooled_connections_are_not_reset_unless_the_connection_string_or_setting_says_so(string connectionString, string? setting, bool expected)
    {
        var configuration = Config(new() { ["Database:ResetOnClose"] = setting });

        var result = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.WithStatementPreparation(connectionString, configuration));

        Assert.Equal(expected, result.NoResetOnClose);
    }
}
