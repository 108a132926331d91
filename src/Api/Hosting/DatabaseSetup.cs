using Npgsql;

namespace Defence.Api.Hosting;

/// <summary>Where the event store lives.</summary>
public static class DatabaseSetup
{
    public const string ConnectionStringName = "Marten";

    /// <summary>Statements Npgsql prepares automatically per connection when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>Commands that never open the database, so they never start the local PostgreSQL either.</summary>
    static readonly HashSet<string> CommandsWithoutDatabase = new(StringComparer.OrdinalIgnoreCase) { "token", "codegen", "help", "?", "describe", LocalPostgresCommand.Name };

    public const string NoDatabaseMessage =
        "No database is configured. Set ConnectionStrings__Marten (e.g. 'Host=...;Database=...;Username=...;Password=...'), " +
        "or set Database__StartLocalPostgres=true to run a local PostgreSQL from the installed binaries.";

    /// <summary>
    /// The connection string with the API's default for automatic statement preparation
    /// (<c>Database:MaxAutoPrepare</c>, default <see cref="DefaultMaxAutoPrepare"/>; 0 turns it off) unless the
    /// connection string sets <c>Max Auto Prepare</c> itself. Besides skipping parse and plan for the statements
    /// every request repeats, a connection holding prepared statements is returned to the pool with a reset that
    /// keeps plans (instead of <c>DISCARD ALL</c>), so Marten's append function keeps its cached plan.
    /// That reset itself is skipped too (<c>Database:ResetOnClose</c>, default false, unless the connection string sets
    /// <c>No Reset On Close</c>): an open transaction is still rolled back, and the API leaves no other session state.
    /// </summary>
    public static string WithStatementPreparation(string connectionString, IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0 && !connectionString.Contains("auto prepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = configuration.GetValue("Database:MaxAutoPrepare", DefaultMaxAutoPrepare);
        // The reset is seven statements the database runs before each request's own; every advisory lock the API and Marten
        // take here is transaction-scoped, and Wolverine's leadership lock lives on a connection of its own, released explicitly.
        if (!connectionString.Contains("reset on close", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = !configuration.GetValue("Database:ResetOnClose", false);
        return builder.ConnectionString;
    }

    /// <summary><c>ConnectionStrings:Marten</c>, or a clear refusal naming what to set.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } given
            ? given
            : throw new InvalidOperationException(NoDatabaseMessage);

    /// <summary>Where the local cluster lives: <c>Database:LocalDataDirectory</c>, else <see cref="LocalPostgres.DefaultDataDirectory"/>.</summary>
    public static string LocalDataDirectory(IConfiguration configuration) =>
        configuration["Database:LocalDataDirectory"] is { Length: > 0 } configured ? configured : LocalPostgres.DefaultDataDirectory;

    /// <summary>
    /// Development convenience, before the host is built: with no connection string and
    /// <c>Database:StartLocalPostgres</c> true (the Development default), starts a local cluster from the installed
    /// PostgreSQL binaries, created on first use in <c>Database:LocalDataDirectory</c> and reused after that, and
    /// sets <c>ConnectionStrings:Marten</c> to it. Does nothing otherwise; commands that need no database get a
    /// connection string that is never opened.
    /// </summary>
    public static async Task StartLocalPostgresWhenConfiguredAsync(this WebApplicationBuilder builder, string[] args)
    {
        var configuration = builder.Configuration;
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 }) return;
        if (args.Length > 0 && CommandsWithoutDatabase.Contains(args[0]))
        {
            // These build the app's services (the endpoints resolve the store) but never connect: a placeholder will do.
            configuration[$"ConnectionStrings:{ConnectionStringName}"] = "Host=never-opened.invalid;Database=none";
            return;
        }
        if (!configuration.GetValue<bool>("Database:StartLocalPostgres")) return;

        var dataDirectory = LocalDataDirectory(configuration);
        var cluster = await LocalPostgres.StartAsync(dataDirectory, configuration.GetValue<int?>("Database:LocalPort"));
        configuration[$"ConnectionStrings:{ConnectionStringName}"] = cluster.ConnectionString;
        Console.WriteLine($"Using the local PostgreSQL in {cluster.DataDirectory} on port {cluster.Port}.");
    }
}
