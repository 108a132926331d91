using System.Diagnostics;
using Defence.Api.Auditing;
using Defence.Api.Identity;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Defence.Api.Hosting;

/// <summary>
/// Traces and metrics of ASP.NET Core, Npgsql, Marten and Wolverine, exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables configure the exporter); and a log scope
/// per request with its tenant and correlation id. Spans carry no personal text: Npgsql records statements with
/// their placeholders, never parameter values, and request spans hold paths and queries, which are ids and codes.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "defence-api";

    /// <summary>The API's own spans, such as a group of reports written together.</summary>
    public static readonly ActivitySource Source = new("Defence.Api");

    /// <summary>
    /// Tracing costs CPU on every request, so it is on only where something collects it: when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, or <c>Telemetry:Enabled</c> says so.
    /// </summary>
    public static IServiceCollection AddDefenceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!configuration.GetValue("Telemetry:Enabled", otlp)) return services;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql()
                .AddSource(Source.Name, "Marten", "Wolverine"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter("Marten", "Npgsql", "Wolverine*"));
        if (otlp) telemetry.UseOtlpExporter();
        return services;
    }

    /// <summary>
    /// First in the pipeline: every log entry of a request carries its correlation id, and its tenant once the token is
    /// validated (<see cref="UseTenantInLogScope"/> fills it in the same scope).
    /// </summary>
    public static IApplicationBuilder UseRequestLogScope(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Defence.Api.Requests");
        return app.Use(async (http, next) =>
        {
            var scope = new RequestLogScope { ["CorrelationId"] = Correlation.Of(http) };
            http.Features.Set(scope);
            using (logger.BeginScope(scope))
                await next(http);
        });
    }

    /// <summary>After authentication: the request's tenant, from the validated token only.</summary>
    public static IApplicationBuilder UseTenantInLogScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Features.Get<RequestLogScope>() is { } scope && http.User.FindFirst(ClaimNames.Tenant)?.Value is { } tenant)
            scope["Tenant"] = tenant;
        await next(http);
    });

    /// <summary>The values of a request's log scope; a sink reads them when it writes each entry.</summary>
    sealed class RequestLogScope : Dictionary<string, object?>;
}
