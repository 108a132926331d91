using System.Net;
using System.Net.Http.Json;
using Defence.Api.Auditing;
using Defence.Api.Tests.Deployment;
using Defence.Api.Tests.Infrastructure;
using Defence.Domain.Cases;
using JasperFx.CommandLine;
using JasperFx.Events;
using Marten;
using Npgsql;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Auditing;

/// <summary>
/// Every way events get written (each HTTP writer and each operator command that writes) stamps each event with the
/// acting user, a correlation id and its tenant. The writers are enumerated: together they must write every case
/// event type, every writing HTTP operation and operator command must be one of them, so a writer or event type
/// added later fails here until it is added (and checked) too.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class EveryWriterStampsTests(ApiFixture api)
{
    /// <summary>Writing HTTP operations this test drives, as "METHOD path" of the OpenAPI document.</summary>
    static readonly string[] HttpWriters =
    [
        "POST /api/reports",
        "POST /api/cases/{id}/assignment", "POST /api/cases/{id}/advice", "POST /api/cases/{id}/contacts",
        "POST /api/cases/{id}/gmc-complaint", "POST /api/cases/{id}/allegation-withdrawal",
        "POST /api/cases/{id}/closure", "POST /api/cases/{id}/reopening",
        "POST /api/imports/cases",
        "POST /api/members/{memberId}/erasure",
    ];

    /// <summary>Operator commands of the API, by class: the ones that write events (driven here) and the ones that do not.</summary>
    static readonly string[] CommandWriters = ["ImportCommand"];
    static readonly string[] CommandsWritingNoEvent = ["LocalPostgresCommand", "MigrateCommand", "RebuildTrendsCommand", "TokenCommand"];

    static readonly (string Command, object Body)[] CaseCommands =
    [
        ("assignment", new { adviserId = Guid.NewGuid() }),
        ("advice", new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } }),
        ("contacts", new { channel = "letter", occurredAt = "2026-10-01T10:00:00+00:00", note = "A second letter." }),
        ("gmc-complaint", new { gmcReference = "GMC-1", receivedOn = "2026-10-02", allegation = "Alleged." }),
        ("allegation-withdrawal", new { withdrawnOn = "2026-10-03", reason = "Withdrawn." }),
        ("closure", new { outcome = "Closed." }),
        ("reopening", new { reason = "New contact." }),
    ];

    static IEnumerable<Type> CaseEventTypes() =>
        typeof(ICaseEvent).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICaseEvent).IsAssignableFrom(t));

    [Fact]
    public async Task every_writer_stamps_each_event_it_writes_with_the_user_the_correlation_id_and_the_tenant()
    {
        var tenant = ApiFixture.NewTenant();
        var member = tenant.Member();
        var adviser = tenant.Adviser();
        var admin = tenant.TenantAdmin();
        var written = new List<IEvent>();

        // POST /api/reports
        var correlation = NewCorrelationId();
        var caseId = Guid.Empty;
        written.AddRange(await Stamped(tenant, "POST /api/reports", member.Id, correlation, 1, async () =>
        {
            var report = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(), options: CaseApi.Json) };
            report.Headers.Add(Correlation.Header, correlation);
            var reported = await api.As(member).SendAsync(report);
            await reported.ShouldHave(HttpStatusCode.Created);
            caseId = (await reported.Body())["caseId"]!.GetValue<Guid>();
        }, already: written));

        // The seven case commands
        foreach (var (command, body) in CaseCommands)
        {
            correlation = NewCorrelationId();
            var client = api.As(adviser);
            client.DefaultRequestHeaders.Add(Correlation.Header, correlation);
            written.AddRange(await Stamped(tenant, $"POST /api/cases/{{id}}/{command}", adviser.Id, correlation, 1,
                async () => await (await client.Command(caseId, command, body)).ShouldHave(HttpStatusCode.OK), already: written));
        }

        // POST /api/members/{memberId}/erasure
        correlation = NewCorrelationId();
        var eraser = api.As(admin);
        eraser.DefaultRequestHeaders.Add(Correlation.Header, correlation);
        written.AddRange(await Stamped(tenant, "POST /api/members/{memberId}/erasure", admin.Id, correlation, 1,
            async () => await (await eraser.PostAsJsonAsync($"/api/members/{member.Id}/erasure", new { reason = "The member asked." })).ShouldHave(HttpStatusCode.OK),
            already: written));

        // POST /api/imports/cases
        correlation = NewCorrelationId();
        var importer = api.As(admin);
        importer.DefaultRequestHeaders.Add(Correlation.Header, correlation);
        written.AddRange(await Stamped(tenant, "POST /api/imports/cases", admin.Id, correlation, 4,
            () => importer.ImportOk(Row($"W-{Guid.NewGuid():N}", "2009-03-02", gmcReference: "G", gmcReceivedOn: "2009-04-01",
                withdrawnOn: "2009-05-01", closedOn: "2009-06-01", outcome: "Withdrawn.")), already: written));

        // The import operator command, as its own process
        var operatorId = Guid.NewGuid();
        var file = Path.Combine(Path.GetTempPath(), $"defence-writers-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, string.Join('\n', Header, Row($"W-{Guid.NewGuid():N}", "2009-03-02")));
        try
        {
            written.AddRange(await Stamped(tenant, "import command", operatorId, correlation: null, 1, async () =>
            {
                var run = await ApiProcess.RunAsync(["import", file, "--tenant", tenant.Key, "--user", operatorId.ToString()],
                    ApiProcess.AsEnvironment(ApiFixture.Settings(api.Database.ConnectionString)), TimeSpan.FromMinutes(2));
                Assert.True(run.ExitCode == 0, $"import exited {run.ExitCode}:\n{run.All}");
            }, already: written));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(
            CaseEventTypes().Select(t => t.Name).Order(StringComparer.Ordinal),
            written.Select(e => e.EventType.Name).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Runs one writer and asserts the events it added to the tenant carry its user, a correlation id and the tenant.</summary>
    async Task<IReadOnlyList<IEvent>> Stamped(TestTenant tenant, string writer, Guid user, string? correlation, int expected, Func<Task> write, List<IEvent> already)
    {
        await write();

        await using var session = api.Store.QuerySession(tenant.Key);
        var seen = already.Select(e => e.Id).ToHashSet();
        var added = (await session.Events.QueryAllRawEvents().ToListAsync()).Where(e => !seen.Contains(e.Id)).ToList();
        Assert.True(added.Count == expected, $"{writer} wrote {added.Count} event(s), expected {expected}");
        foreach (var e in added)
        {
            Assert.Equal(user.ToString(), e.UserName);
            Assert.False(string.IsNullOrWhiteSpace(e.CorrelationId), $"{writer}: {e.EventTypeName} has no correlation id");
            if (correlation is not null) Assert.Equal(correlation, e.CorrelationId);
            Assert.Equal(tenant.Key, e.TenantId);
        }
        return added;
    }

    static string NewCorrelationId() => $"writers-{Guid.NewGuid():N}";

    [Fact]
    public async Task every_writing_http_operation_is_one_this_test_drives()
    {
        var paths = (await (await api.Anonymous().GetAsync("/swagger/v1/swagger.json")).Body())["paths"]!.AsObject();

        var writing = paths.SelectMany(p => p.Value!.AsObject()
                .Where(o => o.Key is "post" or "put" or "patch" or "delete")
                .Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(HttpWriters.Order(StringComparer.Ordinal), writing);
    }

    [Fact]
    public void every_operator_command_is_known_to_write_events_or_not()
    {
        var commands = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IJasperFxCommand).IsAssignableFrom(t))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(CommandWriters.Concat(CommandsWritingNoEvent).Order(StringComparer.Ordinal), commands);
    }

    /// <summary>
    /// Over everything every test so far has written to this run's tenants (and earlier runs' on a reused database).
    /// Marten's own tombstones are not events anyone wrote: when a transaction fails after its sequence numbers were
    /// taken (a refused or racing write), Marten fills the gap with an empty <c>tombstone</c> row so the projections
    /// do not wait for it. They carry no data, so there is nothing in them to attribute.
    /// </summary>
    [Fact]
    public async Task no_event_of_the_test_tenants_lacks_a_user_or_a_correlation_id()
    {
        await api.As(TestUser.Member()).ReportCase();
        string[] tenants = [ApiFixture.Mdu, ApiFixture.Mps, .. ApiFixture.OwnTenants.Select(t => t.Key)];
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) filter (where type <> 'tombstone' and (user_name is null or user_name = '' or correlation_id is null or correlation_id = '')), " +
            "count(*) filter (where type = 'tombstone' and data::text <> '{}'), count(*) " +
            "from defence.mt_events where tenant_id = any(@tenants) or tenant_id like 'run-%'", connection);
        command.Parameters.AddWithValue("tenants", tenants);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.True(reader.GetInt64(0) == 0, $"{reader.GetInt64(0)} event(s) without a user or correlation id");
        Assert.True(reader.GetInt64(1) == 0, $"{reader.GetInt64(1)} tombstone(s) carrying data");
        Assert.True(reader.GetInt64(2) > 0, "no events to check");
    }
}
