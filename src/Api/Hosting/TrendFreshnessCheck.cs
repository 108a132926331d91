using Defence.Projections.Trends;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Defence.Api.Hosting;

/// <summary>
/// Readiness reports how far the trend statistics lag behind the events: degraded past
/// <c>Health:MaxTrendLagSeconds</c> (default 60), since the API still serves cases meanwhile.
/// </summary>
public sealed class TrendFreshnessCheck(IDocumentStore store, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var freshness = await session.TrendFreshnessAsync(ct);
        var limit = TimeSpan.FromSeconds(configuration.GetValue("Health:MaxTrendLagSeconds", 60));
        var data = new Dictionary<string, object>
        {
            ["eventsBehind"] = freshness.EventsBehind,
            ["lagSeconds"] = Math.Round(freshness.Lag.TotalSeconds, 3),
            ["asOf"] = freshness.AsOf?.ToString("O") ?? "",
        };
        return freshness.Lag <= limit
            ? HealthCheckResult.Healthy("Trend statistics are current.", data)
            : HealthCheckResult.Degraded($"Trend statistics lag {freshness.Lag.TotalSeconds:N0} s behind the events.", data: data);
    }
}
