using Defence.Api.Errors;
using Defence.Projections.Trends;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Defence.Api.Hosting;

/// <summary>
/// Liveness and readiness for probes. Live: the process answers, without touching the database. Ready: the database
/// answers within <see cref="DatabaseTimeout"/> and the trend projection is not stalled (behind, and nothing applied,
/// for longer than <c>Health:ProjectionStalledSeconds</c>). Anyone may ask, so the answer is the bare status; why a
/// replica is not ready goes to its log, which only operators read.
/// </summary>
public sealed class Readiness(IDocumentStore store, IConfiguration configuration, ILogger<Readiness> logger) : IHealthCheck
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string StalledSetting = "Health:ProjectionStalledSeconds";
    static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(3);

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).WithMetadata(Get).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).WithMetadata(Get).AllowAnonymous();
    }

    static readonly HttpMethodMetadata Get = new(["GET"]);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DatabaseTimeout);
        var stalledAfter = TimeSpan.FromSeconds(configuration.GetValue(StalledSetting, 60));
        // Every database the API writes to (the shared one and any tenant's own) must answer, and none's projection be stalled.
        foreach (var database in await store.Storage.AllDatabases())
        {
            Freshness freshness;
            try
            {
                freshness = await store.TrendFreshnessAsync(database, timeout.Token);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Not ready: database '{Database}' did not answer within {Seconds} s ({Failure}).",
                    database.Id.Identity, DatabaseTimeout.TotalSeconds, SafeLog.Describe(e));
                return HealthCheckResult.Unhealthy();
            }

            if (!freshness.StalledFor(stalledAfter)) continue;
            logger.LogWarning(
                "Not ready: the trend projection of database '{Database}' is {EventsBehind} events behind and has applied none for {Seconds:N0} s (more than {StalledSetting}).",
                database.Id.Identity, freshness.EventsBehind, (freshness.SinceProgress ?? freshness.Lag).TotalSeconds, StalledSetting);
            return HealthCheckResult.Unhealthy();
        }
        return HealthCheckResult.Healthy();
    }
}
