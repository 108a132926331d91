using System.Diagnostics;
using Defence.Api.Auditing;
using Defence.Api.Identity;
using JasperFx.CommandLine;
using Microsoft.Extensions.Options;

namespace Defence.Api.Imports;

public sealed class ImportInput : NetCoreInput
{
    [Description("The CSV file of historical cases")]
    public string File { get; set; } = "";

    [Description("Tenant key from the Tenants configuration, e.g. mdu")]
    public string TenantFlag { get; set; } = "";

    [Description("The operator's user id (oid) recorded as who imported; default: the empty id, meaning the command line")]
    public string? UserFlag { get; set; }
}

[Description("Imports historical cases from a CSV file into one tenant (same rules as POST /api/imports/cases)", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public ImportCommand()
    {
        Usage("Import a CSV file into a tenant").Arguments(x => x.File);
    }

    public override async Task<bool> Execute(ImportInput input)
    {
        using var host = input.BuildHost();
        var tenants = host.Services.GetRequiredService<IOptions<Dictionary<string, TenantOptions>>>().Value;
        if (!tenants.ContainsKey(input.TenantFlag))
        {
            Console.Error.WriteLine($"Unknown tenant '{input.TenantFlag}'. Configured tenants: {string.Join(", ", tenants.Keys)}.");
            return false;
        }
        var path = Resolve(input.File);
        if (!System.IO.File.Exists(path))
        {
            Console.Error.WriteLine($"No such file: {input.File}");
            return false;
        }

        var importer = host.Services.GetRequiredService<CaseImporter>();
        Guid? by = null;
        if (input.UserFlag is not null)
        {
            if (!Guid.TryParse(input.UserFlag, out var user))
            {
                Console.Error.WriteLine($"--user must be a user id (a GUID), got {Defence.Domain.Rules.FreeText.Quote(input.UserFlag)}.");
                return false;
            }
            by = user;
        }
        var clock = Stopwatch.StartNew();
        var progress = new ConsoleProgress(p => Console.WriteLine($"{p.Phase}: {p.Rows:N0} rows ({clock.Elapsed.TotalSeconds:N1} s)"));

        var result = await importer.ImportAsync(() => System.IO.File.OpenRead(path), Actor.Operator(input.TenantFlag, by), progress, CancellationToken.None);

        foreach (var error in result.Errors) Console.Error.WriteLine($"line {error.Line}: {error.Message}");
        if (result.ErrorsOmitted > 0) Console.Error.WriteLine($"... and {result.ErrorsOmitted} more problem(s).");
        Console.WriteLine(result.Errors.Count > 0
            ? $"Nothing imported: {result.Errors.Count} error(s)."
            : $"Imported {result.Imported:N0}, skipped {result.Skipped:N0} already present, in {clock.Elapsed.TotalSeconds:N1} s.");
        return result.Errors.Count == 0;
    }

    /// <summary>
    /// A relative path is taken from the shell's directory: 'dotnet run --project' starts the program
    /// in the project's folder, but PWD still names where the operator typed the command.
    /// </summary>
    static string Resolve(string file) =>
        Path.IsPathRooted(file) || System.IO.File.Exists(file) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } shell
            ? file
            : Path.Combine(shell, file);

    /// <summary>Reports on the importer's own thread, so progress lines print in order (Progress&lt;T&gt; posts them later).</summary>
    sealed class ConsoleProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
