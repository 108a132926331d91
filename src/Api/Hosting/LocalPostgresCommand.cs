using JasperFx.CommandLine;

namespace Defence.Api.Hosting;

public sealed class LocalPostgresInput : NetCoreInput
{
    [Description("stop: stop the local cluster, keeping its data; remove: stop it and delete it with all its data")]
    public string Action { get; set; } = "";
}

[Description("Stops, or removes with its data, the local PostgreSQL that 'dotnet run' starts in Development " +
             "(Database__LocalDataDirectory)", Name = Name)]
public sealed class LocalPostgresCommand : JasperFxAsyncCommand<LocalPostgresInput>
{
    public const string Name = "local-postgres";

    public override async Task<bool> Execute(LocalPostgresInput input)
    {
        if (input.Action is not ("stop" or "remove"))
        {
            Console.Error.WriteLine($"Say what to do: {Name} stop, or {Name} remove.");
            return false;
        }
        using var host = input.BuildHost();
        var directory = DatabaseSetup.LocalDataDirectory(host.Services.GetRequiredService<IConfiguration>());
        if (!File.Exists(Path.Combine(directory, "PG_VERSION")))
        {
            Console.Error.WriteLine($"There is no local PostgreSQL in {directory}.");
            return true;
        }

        await LocalPostgres.StopAsync(directory);
        Console.Error.WriteLine($"Stopped the local PostgreSQL in {directory}.");
        if (input.Action == "remove")
        {
            Directory.Delete(directory, recursive: true);
            Console.Error.WriteLine($"Removed {directory} with its data; the next 'dotnet run' creates a new, empty cluster.");
        }
        return true;
    }
}
