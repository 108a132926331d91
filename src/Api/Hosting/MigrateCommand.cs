using System.Diagnostics;
using JasperFx.CommandLine;

namespace Defence.Api.Hosting;

[Description("Applies Marten's and Wolverine's database schema changes for this version of the API, then exits " +
             "(run once per release when API processes have Database__ApplySchemaOnStart=false)", Name = DatabaseSchema.MigrateCommandName)]
public sealed class MigrateCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var clock = Stopwatch.StartNew();

        await DatabaseSchema.MigrateAsync(host, CancellationToken.None);

        // The same check an API process makes on start, so a migration that left anything behind fails the release here.
        var differences = await DatabaseSchema.FindDifferencesAsync(host.Services, CancellationToken.None);
        foreach (var difference in differences) Console.Error.WriteLine(difference);
        Console.WriteLine(differences.Count == 0
            ? $"The database schema is current ({clock.Elapsed.TotalSeconds:N1} s)."
            : "The database schema still differs after the migration: see above.");
        return differences.Count == 0;
    }
}
