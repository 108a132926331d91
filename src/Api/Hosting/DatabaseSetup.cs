namespace Defence.Api.Hosting;

/// <summary>Where the event store lives.</summary>
public static class DatabaseSetup
{
    public const string ConnectionStringName = "Marten";

    /// <summary>
    /// <c>ConnectionStrings:Marten</c> when set; otherwise, when <c>Database:StartLocalPostgres</c> is true
    /// (the Development default), a local cluster from the installed PostgreSQL binaries, created on first
    /// use in <c>Database:LocalDataDirectory</c> and reused after that; or, without those binaries, a
    /// PostgreSQL container kept between runs, when a Docker engine answers.
    /// </summary>
    public static async Task<string> ResolveConnectionStringAsync(IConfiguration configuration, ILogger logger, CancellationToken ct = default)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } given)
            return given;

        if (!configuration.GetValue<bool>("Database:StartLocalPostgres"))
            throw new InvalidOperationException(
                "No database is configured. Set ConnectionStrings__Marten (e.g. 'Host=...;Database=...;Username=...;Password=...'), " +
                "or set Database__StartLocalPostgres=true to run a local PostgreSQL from the installed binaries.");

        if (LocalPostgres.FindBinaries() is null && await DockerEngine.AnswersAsync())
        {
            var container = await PostgresContainer.StartAsync(reuse: true, ct);
            logger.LogInformation("Using the PostgreSQL container {Container}", container.Name);
            return container.GetConnectionString();
        }

        var dataDirectory = configuration["Database:LocalDataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "defence-dev-postgres");
        var cluster = await LocalPostgres.StartAsync(dataDirectory, configuration.GetValue<int?>("Database:LocalPort"), ct: ct);
        logger.LogInformation("Using the local PostgreSQL in {DataDirectory} on port {Port}", cluster.DataDirectory, cluster.Port);
        return cluster.ConnectionString;
    }
}
