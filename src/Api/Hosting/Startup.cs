using System.Text.Json;
using System.Text.Json.Serialization;
using Defence.Api.Auditing;
using Defence.Api.Cases;
using Defence.Api.Cases.Reporting;
using Defence.Api.Errors;
using Defence.Api.Hosting;
using Defence.Api.Identity;
using Defence.Api.Imports;
using Defence.Api.Limits;
using Defence.Api.OpenApi;
using Defence.Api.Pages;
using Defence.Domain.Vocabulary;
using Defence.Projections.Cases;
using Defence.Projections.Trends;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Defence.Api;

public static class Startup
{
    /// <summary>Registers everything the API needs; each part is configured in one place.</summary>
    public static WebApplicationBuilder AddDefence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddDefenceIdentity(configuration);
        services.AddDefenceLimits(configuration);
        services.AddSingleton<CaseImporter>();
        services.AddSingleton<Trends.TrendSettings>();
        services.AddSingleton<ReportWriter>();
        services.AddSingleton<Reports>();
        services.AddSingleton<CaseCommands>();
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = UnreadableBody.Reshape);
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        services.AddExceptionHandler<ExceptionProblemHandler>();
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddDefenceOpenApi();
        services.AddDefencePages(builder.Environment);
        // Wolverine logs a body it cannot read as an error, with a stack trace, under the body type's name (the domain's
        // commands, which log nothing themselves). The client's mistake is answered 400 naming the field; it is no server error.
        builder.Logging.AddFilter("Defence.Domain", LogLevel.None);
        // The API uses Wolverine for HTTP endpoints and the projections only; having no message handlers is the design.
        builder.Logging.AddFilter("Wolverine.Configuration.HandlerDiscovery", LogLevel.Error);
        services.AddDefenceTelemetry(configuration);
        services.AddHealthChecks().AddCheck<Readiness>("ready", tags: ["ready"]);

        services.AddMarten(provider =>
            {
                var options = new StoreOptions();
                options.UseTenantDatabases(configuration);
                options.Logger(new QuietMartenLogger(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Marten")));
                options.DatabaseSchemaName = "defence";
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
                    // First, so vocabulary enums are stored as their codes rather than by Marten's enum-name converter.
                    configure: o => o.Converters.Insert(0, new CodeJsonConverterFactory()));
                options.Events.TenancyStyle = TenancyStyle.Conjoined;
                options.Policies.AllDocumentsAreMultiTenanted();
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.StoreAuditMetadata();
                options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
                options.ConfigureCases();
                options.ConfigureTrends();
                return options;
            })
            .ApplySchemaChangesOnStart(configuration)
            // Wolverine distributes the async projections across nodes (Marten's HotCold mode cannot run here: see README).
            .IntegrateWithWolverine(m =>
            {
                m.UseWolverineManagedEventSubscriptionDistribution = true;
                // With a database per tenant, Wolverine's nodes and agent assignments live in the shared database.
                if (TenantDatabases.Own(configuration).Count > 0) m.MainDatabaseConnectionString = TenantDatabases.SharedConnectionString(configuration);
            });

        builder.Host.UseWolverine(options =>
        {
            // Load the endpoint code generated ahead of time into src/Api/Internal/Generated (committed; regenerate with
            // `dotnet run --project src/Api -- codegen write`, see README), so no C# compiler is loaded into the process
            // and none of its memory is held (figures in bench/README.md).
            // GeneratedCodeTests fails if the committed code differs from what the endpoints generate now.
            options.ApplicationAssembly = typeof(Startup).Assembly;
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
        });
        services.AddWolverineHttp();
        return builder;
    }

    public static WebApplication UseDefence(this WebApplication app)
    {
        app.Services.ValidateIdentityConfiguration();
        app.Services.GetRequiredService<Trends.TrendSettings>().Validate();
        app.UseCorrelation();
        app.UseRequestLogScope();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePageSecurityHeaders(app.Configuration);
        app.UseStaticFiles();

        app.UseSwagger();
        app.UseSwaggerUI(o => o.SwaggerEndpoint("/swagger/v1/swagger.json", "Defence API v1"));

        app.UseAuthentication();
        app.UseTenantInLogScope();
        app.UseAuthorization();
        app.UseDefenceLimits();

        Readiness.Map(app);
        app.MapWolverineEndpoints(options =>
        {
            // The tenant comes only from the validated token, via the claim TenantClaimsTransformation adds.
            options.TenantId.IsClaimTypeNamed(ClaimNames.Tenant);
        });
        app.MapRazorPages();
        if (app.Environment.IsDevelopment())
            app.Lifetime.ApplicationStarted.Register(() => AnnounceDevelopmentUse(app));
        return app;
    }

    static void AnnounceDevelopmentUse(WebApplication app)
    {
        var address = (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080")
            .Replace("[::]", "localhost").Replace("0.0.0.0", "localhost");
        app.Logger.LogInformation(
            "Swagger UI: {Address}/swagger. Development tokens for every role: eval \"$(dotnet run --project src/Api -- token --all-roles)\" " +
            "sets MEMBER, ADVISER, ANALYST and TENANTADMIN (add --tenant mps for the second tenant); use one with 'Authorize' in Swagger.",
            address);
    }

    /// <summary>One JSON shape for HTTP and the event store: camelCase, vocabulary as codes, no nulls dropped.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        // A body naming a field twice is ambiguous (which one did the sender mean?): refuse it rather than keep the last.
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new CodeJsonConverterFactory());
    }
}
