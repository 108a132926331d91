using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Trace;
using Wolverine;

namespace Defence.Api.Tests.Hosting;

/// <summary>Traces from HTTP to the database, and logs that say which request and tenant they belong to, without personal text.</summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(ApiFixture api)
{
    [Fact]
    public async Task one_report_is_one_trace_from_the_http_request_to_the_database_with_no_personal_text_in_it()
    {
        var spans = new List<Activity>();
        await using var host = Host(await api.NewDatabaseAsync("telemetry"), spans, new LogCapture());
        var member = Client(host, [Roles.Member]);
        var secret = $"secret-{Guid.NewGuid():N}";

        var response = await member.PostAsJsonAsync("/api/reports", CaseApi.Report(summary: secret, patientReference: "QX 1960"));

        await response.ShouldHave(HttpStatusCode.Created);
        // The request's span ends (and is exported) just after the answer is sent.
        Activity[] finished = [];
        for (var waited = 0; waited < 100 && !finished.Any(IsTheReport); waited++)
        {
            await Task.Delay(50);
            lock (spans) finished = spans.ToArray();
        }
        var request = Assert.Single(finished, IsTheReport);
        var database = finished.Where(s => s.TraceId == request.TraceId && s.Source.Name == "Npgsql").ToList();
        Assert.NotEmpty(database);
        Assert.All(database, span => Assert.True(IsWithin(span, request, finished), $"{span.DisplayName} is not under the request's span"));
        var tags = finished.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")).ToList();
        Assert.DoesNotContain(tags, t => t.Contains(secret) || t.Contains("QX 1960"));
    }

    [Fact]
    public async Task a_requests_log_entries_carry_its_correlation_id_and_tenant()
    {
        var database = new NpgsqlConnectionStringBuilder(await api.NewDatabaseAsync("telemetry"));
        using var proxy = new TcpProxy(database.Host!, database.Port);
        (database.Host, database.Port) = ("127.0.0.1", proxy.Port);
        var logs = new LogCapture();
        await using var host = Host(database.ConnectionString, [], logs);
        var member = Client(host, [Roles.Member]);
        member.DefaultRequestHeaders.Add("X-Correlation-Id", "telemetry-test-1");
        await member.ReportCase();

        proxy.Cut(); // the one failure a request logs: the database out of reach
        var refused = await member.PostAsJsonAsync("/api/reports", CaseApi.Report());
        proxy.Restore();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var entry = Assert.Single(logs.Entries, e => e.Category.StartsWith("Defence.Api.Errors", StringComparison.Ordinal) && e.Level == LogLevel.Warning);
        Assert.Equal("telemetry-test-1", entry.Scope["CorrelationId"]);
        Assert.Equal(ApiFixture.Mdu, entry.Scope["Tenant"]);
    }

    static bool IsTheReport(Activity span) =>
        span.Kind == ActivityKind.Server && span.GetTagItem("http.route") as string == "/api/reports" && span.GetTagItem("http.request.method") as string == "POST";

    static bool IsWithin(Activity span, Activity ancestor, IReadOnlyList<Activity> all)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId) return true;
            parent = all.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default;
        }
        return false;
    }

    static HttpClient Client(WebApplicationFactory<Program> host, string[] roles)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            host.Services.GetRequiredService<DevelopmentTokens>().Create(ApiFixture.MduTid, Guid.NewGuid(), roles));
        return client;
    }

    static WebApplicationFactory<Program> Host(string connectionString, List<Activity> spans, LogCapture logs)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in ApiFixture.Settings(connectionString)) web.UseSetting(key, value);
            web.UseSetting("Telemetry:Enabled", "true");
            web.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            });
            web.ConfigureLogging(logging => logging.AddProvider(logs).AddFilter<LogCapture>(null, LogLevel.Trace));
        });
        _ = factory.Server;
        return factory;
    }
}
