using System.Net;
using Defence.Api.Hosting;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Defence.Api.Tests.Deployment;

/// <summary>
/// Schema changes once per release: with <c>Database:ApplySchemaOnStart=false</c> the API changes no schema and refuses
/// a database that is not current, naming the <c>migrate</c> command; after that command it starts. Each test gets a
/// fresh, empty database on the test server.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SchemaMigrationTests(ApiFixture fixture)
{
    const string NoMigrate = "false";

    async Task<string> EmptyDatabase()
    {
        var name = $"defence_migrate_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(fixture.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { Database = name }.ConnectionString;
    }

    static Dictionary<string, string?> Settings(string connectionString, string? applySchemaOnStart)
    {
        var settings = ApiFixture.Settings(connectionString);
        if (applySchemaOnStart is not null) settings[DatabaseSchema.ApplyOnStartSetting] = applySchemaOnStart;
        return settings;
    }

    static WebApplicationFactory<Program> Api(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            foreach (var (key, value) in settings) web.UseSetting(key, value);
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
        });

    static async Task<long> TablesIn(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    static Task<ApiProcess.Result> Migrate(string connectionString) =>
        ApiProcess.RunAsync([DatabaseSchema.MigrateCommandName],
            ApiProcess.AsEnvironment(Settings(connectionString, NoMigrate)), TimeSpan.FromMinutes(2));

    [Fact]
    public async Task an_api_told_not_to_change_the_schema_refuses_an_empty_database_and_names_the_migrate_command()
    {
        var database = await EmptyDatabase();
        await using var api = Api(Settings(database, NoMigrate));

        var error = Assert.ThrowsAny<Exception>(() => api.Server);

        var message = error.GetBaseException().Message;
        Assert.Contains($"'{DatabaseSchema.MigrateCommandName}' command", message);
        Assert.Contains(DatabaseSchema.ApplyOnStartSetting, message);
        Assert.Contains("Marten's tables", message);
        Assert.Contains("Wolverine's message storage is missing", message);
        Assert.Equal(0, await TablesIn(database));
    }

    [Fact]
    public async Task after_the_migrate_command_an_api_told_not_to_change_the_schema_starts_and_works()
    {
        var database = await EmptyDatabase();

        var migrated = await Migrate(database);
        Assert.True(migrated.ExitCode == 0, $"migrate exited {migrated.ExitCode}:\n{migrated.All}");
        Assert.Contains("The database schema is current", migrated.Output);
        var again = await Migrate(database);
        Assert.True(again.ExitCode == 0, $"a second migrate (nothing to do) exited {again.ExitCode}:\n{again.All}");

        await using var api = Api(Settings(database, NoMigrate));
        var member = api.CreateClient();
        member.DefaultRequestHeaders.Authorization = new("Bearer",
            api.Services.GetRequiredService<DevelopmentTokens>().Create(ApiFixture.MduTid, Guid.NewGuid(), [Roles.Member]));

        await member.ReportCase();
        var ready = await api.CreateClient().GetAsync("/health/ready");
        await ready.ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task by_default_the_api_creates_the_schema_itself_on_start()
    {
        var database = await EmptyDatabase();
        await using var api = Api(Settings(database, applySchemaOnStart: null));

        _ = api.Server;

        Assert.True(await TablesIn(database) > 0);
        Assert.Empty(await DatabaseSchema.FindDifferencesAsync(api.Services, CancellationToken.None));
    }
}
