using Marten;
using Marten.Storage;

namespace Defence.Api.Hosting;

/// <summary>
/// Where each tenant's data lives: in the shared database (<c>ConnectionStrings:Marten</c>), beside the other tenants
/// there (conjoined tenancy), unless <c>Tenants:&lt;key&gt;:ConnectionString</c> gives the tenant a database of its own.
/// Marten then keeps one store over all the databases (database per tenant, statically configured), and Wolverine keeps
/// its node and agent tables in the shared one.
/// </summary>
public static class TenantDatabases
{
    /// <summary>Marten's identifier of the shared database when some tenant has its own.</summary>
    public const string SharedDatabaseId = "shared";

    /// <summary>The tenants with a database of their own, by key, each with its connection string.</summary>
    public static IReadOnlyDictionary<string, string> Own(IConfiguration configuration) =>
        configuration.GetSection("Tenants").GetChildren()
            .Where(t => !string.IsNullOrWhiteSpace(t["ConnectionString"]))
            .ToDictionary(t => t.Key, t => t["ConnectionString"]!, StringComparer.Ordinal);

    /// <summary>One database for every tenant, or the shared database plus one for each tenant with its own.</summary>
    public static StoreOptions UseTenantDatabases(this StoreOptions options, IConfiguration configuration)
    {
        var shared = SharedConnectionString(configuration);
        var own = Own(configuration);
        if (own.Count == 0)
        {
            options.Connection(shared);
            return options;
        }

        var sharing = configuration.GetSection("Tenants").GetChildren().Select(t => t.Key).Where(key => !own.ContainsKey(key)).ToArray();
        options.MultiTenantedDatabases(databases =>
        {
            databases.AddMultipleTenantDatabase(shared, SharedDatabaseId).ForTenants(sharing);
            foreach (var (tenant, connectionString) in own)
                databases.AddSingleTenantDatabase(DatabaseSetup.WithStatementPreparation(connectionString, configuration), tenant);
        });
        return options;
    }

    public static string SharedConnectionString(IConfiguration configuration) =>
        DatabaseSetup.WithStatementPreparation(DatabaseSetup.ConnectionString(configuration), configuration);

    /// <summary>The database holding this tenant's events and views.</summary>
    public static ValueTask<IMartenDatabase> DatabaseOf(this IDocumentStore store, string tenant) => store.Storage.FindOrCreateDatabase(tenant);
}
