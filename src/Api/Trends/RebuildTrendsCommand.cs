using Defence.Projections.Trends;
using JasperFx.CommandLine;
using Marten;

namespace Defence.Api.Trends;

public sealed class RebuildTrendsInput : NetCoreInput
{
    [Description("Rebuild only this tenant's statistics (a key of the Tenants configuration); default: every tenant")]
    public string? TenantFlag { get; set; }
}

[Description("Rebuilds the trend statistics from the events, for one tenant or all, and reports how long it took", Name = "rebuild-trends")]
public sealed class RebuildTrendsCommand : JasperFxAsyncCommand<RebuildTrendsInput>
{
    public override async Task<bool> Execute(RebuildTrendsInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var result = await store.RebuildTrendsAsync(input.TenantFlag, CancellationToken.None);

        Console.WriteLine(
            $"Rebuilt the trends of {result.Tenant ?? "every tenant"} from {result.Cases:N0} cases " +
            $"(events up to sequence {result.UpToSequence:N0}) in {result.Took.TotalSeconds:N2} s.");
        return true;
    }
}
