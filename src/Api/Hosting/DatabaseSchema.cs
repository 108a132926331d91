using JasperFx;
using Marten;
using Weasel.Core.Migrations;
using Wolverine;
using Wolverine.Runtime;

namespace Defence.Api.Hosting;

/// <summary>
/// Who changes the database schema: the API itself on start (<c>Database:ApplySchemaOnStart</c>, the default, so
/// <c>dotnet run</c> and a single process just work), or the <c>migrate</c> command once per release, with every
/// API process only checking on start that the schema is the one it expects.
/// </summary>
public static class DatabaseSchema
{
    public const string ApplyOnStartSetting = "Database:ApplySchemaOnStart";

    /// <summary>The operator command that applies the schema changes (<see cref="MigrateCommand"/>).</summary>
    public const string MigrateCommandName = "migrate";

    public static bool AppliesOnStart(IConfiguration configuration) => configuration.GetValue(ApplyOnStartSetting, true);

    /// <summary>
    /// Either applies Marten's changes on start (Wolverine applies its own by default), or turns off every schema
    /// change the API would make (Marten's on start and on first use of a table, Wolverine's message storage on
    /// start) and refuses to start unless the schema is already current.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression ApplySchemaChangesOnStart(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, IConfiguration configuration)
    {
        if (AppliesOnStart(configuration))
            return marten.ApplyAllDatabaseChangesOnStartup();

        marten.Services.ConfigureMarten(options => options.AutoCreateSchemaObjects = AutoCreate.None);
        marten.Services.ConfigureWolverine(options => options.AutoBuildMessageStorageOnStartup = AutoCreate.None);
        marten.Services.AddSingleton<IHostedService, SchemaIsCurrentCheck>();
        return marten;
    }

    /// <summary>Applies Marten's and Wolverine's schema changes to every database the API uses.</summary>
    public static async Task MigrateAsync(IHost host, CancellationToken ct)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
        // Wolverine's message storage (envelopes, nodes, agent assignments); "setup" migrates it whatever AutoCreate says.
        await JasperFx.Resources.ResourceHostExtensions.SetupResources(host, ct);
    }

    /// <summary>Every difference between the databases and what this version of the API expects, empty when none.</summary>
    public static async Task<IReadOnlyList<string>> FindDifferencesAsync(IServiceProvider services, CancellationToken ct)
    {
        var differences = new List<string>();
        var store = services.GetRequiredService<IDocumentStore>();
        foreach (var database in await store.Storage.AllDatabases())
        {
            try
            {
                await database.AssertDatabaseMatchesConfigurationAsync(ct);
            }
            catch (DatabaseValidationException e)
            {
                differences.Add($"Marten's tables in database '{database.Id}' differ:{Environment.NewLine}{e.Message}");
            }
        }

        try
        {
            await services.GetRequiredService<IWolverineRuntime>().Stores.AssertStorageProvisionedAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            differences.Add($"Wolverine's message storage is missing: {e.GetBaseException().Message}");
        }
        return differences;
    }

    /// <summary>
    /// Runs before every hosted service (Wolverine's runtime, the projections), so an API told not to change the
    /// schema stops with this message instead of failing later on a missing table.
    /// </summary>
    sealed class SchemaIsCurrentCheck(IServiceProvider services, ILogger<SchemaIsCurrentCheck> logger) : IHostedLifecycleService
    {
        public async Task StartingAsync(CancellationToken ct)
        {
            var differences = await FindDifferencesAsync(services, ct);
            if (differences.Count == 0)
            {
                logger.LogInformation("The database schema is current ({Setting} is false: the API changes no schema)", ApplyOnStartSetting);
                return;
            }
            // Against an empty database this is every table's DDL: the exception below carries its start.
            foreach (var difference in differences) logger.LogDebug("{Difference}", difference);
            throw new InvalidOperationException(
                $"The database schema is not the one this version of the API expects, and {ApplyOnStartSetting} is false, " +
                $"so the API does not change it. Run the '{MigrateCommandName}' command with the same configuration first " +
                $"('dotnet Defence.Api.dll {MigrateCommandName}'; the Helm chart runs it as a Job before each install and upgrade), " +
                $"or set {ApplyOnStartSetting.Replace(":", "__")}=true for a single process. Differences: " +
                string.Join(Environment.NewLine, differences.Select(Shorten)));
        }

        static string Shorten(string difference)
        {
            var lines = difference.Split('\n');
            return lines.Length <= 12 ? difference
                : string.Join('\n', lines.Take(12)) + $"\n... ({lines.Length - 12} more lines, logged at Debug level by {typeof(SchemaIsCurrentCheck).FullName})";
        }

        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
