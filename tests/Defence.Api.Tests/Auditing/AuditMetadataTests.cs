using System.Net;
using System.Net.Http.Json;
using Defence.Api.Auditing;
using Defence.Api.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Defence.Api.Tests.Auditing;

/// <summary>Every stored event says who appended it, in which request and for which tenant.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditMetadataTests(ApiFixture api)
{
    readonly TestUser _member = TestUser.Member();
    readonly TestUser _adviser = TestUser.Adviser();

    /// <summary>Every case command, so each endpoint that appends is covered.</summary>
    static readonly (string Command, object Body)[] AdviserSteps =
    [
        ("assignment", new { adviserId = Guid.NewGuid() }),
        ("advice", new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } }),
        ("contacts", new { channel = "letter", occurredAt = "2026-10-01T10:00:00+00:00", note = "A second letter." }),
        ("gmc-complaint", new { gmcReference = "GMC-1", receivedOn = "2026-10-02", allegation = "Alleged." }),
        ("allegation-withdrawal", new { withdrawnOn = "2026-10-03", reason = "Withdrawn." }),
        ("closure", new { outcome = "Closed." }),
        ("reopening", new { reason = "New contact." }),
    ];

    [Fact]
    public async Task every_event_stores_the_acting_user_the_request_correlation_id_and_the_tenant()
    {
        var (caseId, correlationIds) = await WorkACase();

        var events = await api.EventsOf(ApiFixture.Mdu, caseId);

        Assert.Equal(correlationIds, events.Select(e => e.CorrelationId));
        Assert.Equal([_member.Id.ToString(), .. AdviserSteps.Select(_ => _adviser.Id.ToString())], events.Select(e => e.UserName));
        Assert.All(events, e => Assert.Equal(ApiFixture.Mdu, e.TenantId));
    }

    /// <summary>Reports arriving together are committed together (ReportWriter): each must still carry its own metadata.</summary>
    [Fact]
    public async Task reports_sent_at_once_by_many_members_of_two_tenants_each_store_their_own_user_correlation_id_and_tenant()
    {
        var senders = Enumerable.Range(0, 40).Select(i =>
            (Tenant: i % 2 == 0 ? ApiFixture.Mdu : ApiFixture.Mps,
             User: TestUser.Member(i % 2 == 0 ? ApiFixture.MduTid : ApiFixture.MpsTid),
             Correlation: $"batch-{Guid.NewGuid():N}")).ToArray();

        var caseIds = await Task.WhenAll(senders.Select(async s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(), options: CaseApi.Json) };
            request.Headers.Add(Correlation.Header, s.Correlation);
            var response = await api.As(s.User).SendAsync(request);
            await response.ShouldHave(HttpStatusCode.Created);
            return (await response.Body())["caseId"]!.GetValue<Guid>();
        }));

        for (var i = 0; i < senders.Length; i++)
        {
            var stored = Assert.Single(await api.EventsOf(senders[i].Tenant, caseIds[i]));
            Assert.Equal(senders[i].Correlation, stored.CorrelationId);
            Assert.Equal(senders[i].User.Id.ToString(), stored.UserName);
            Assert.Equal(senders[i].Tenant, stored.TenantId);
            var other = senders[i].Tenant == ApiFixture.Mdu ? ApiFixture.Mps : ApiFixture.Mdu;
            Assert.Empty(await api.EventsOf(other, caseIds[i]));
        }
    }

    [Fact]
    public async Task the_timeline_shows_each_events_actor_and_correlation_id()
    {
        var (caseId, correlationIds) = await WorkACase();

        var timeline = (await api.As(_adviser).GetCase(caseId))["timeline"]!.AsArray();

        Assert.Equal(correlationIds, timeline.Select(e => e!["correlationId"]!.GetValue<string>()));
        Assert.Equal([_member.Id, .. AdviserSteps.Select(_ => _adviser.Id)], timeline.Select(e => e!["by"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task a_request_without_a_correlation_id_is_given_one_in_the_response_and_on_its_event()
    {
        var response = await api.As(_member).PostAsJsonAsync("/api/reports", CaseApi.Report());

        await response.ShouldHave(HttpStatusCode.Created);
        var given = Assert.Single(response.Headers.GetValues(Correlation.Header));
        Assert.Matches("^[0-9a-f]{32}$", given);
        var caseId = (await response.Body())["caseId"]!.GetValue<Guid>();
        Assert.Equal(given, Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId)).CorrelationId);
    }

    [Fact]
    public async Task the_trace_id_of_a_traceparent_becomes_the_correlation_id()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(), options: CaseApi.Json) };
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        var response = await api.As(_member).SendAsync(request);

        await response.ShouldHave(HttpStatusCode.Created);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Assert.Single(response.Headers.GetValues(Correlation.Header)));
        var caseId = (await response.Body())["caseId"]!.GetValue<Guid>();
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId)).CorrelationId);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("a correlation id with spaces")]
    public async Task a_correlation_id_that_is_not_a_plain_token_is_replaced_not_stored(string unusable)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(), options: CaseApi.Json) };
        request.Headers.TryAddWithoutValidation(Correlation.Header, unusable);

        var response = await api.As(_member).SendAsync(request);

        await response.ShouldHave(HttpStatusCode.Created);
        var given = Assert.Single(response.Headers.GetValues(Correlation.Header));
        Assert.NotEqual(unusable, given);
        var caseId = (await response.Body())["caseId"]!.GetValue<Guid>();
        Assert.Equal(given, Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId)).CorrelationId);
    }

    [Fact]
    public async Task an_error_answer_carries_the_correlation_id_too()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases");
        request.Headers.Add(Correlation.Header, "support-ticket-42");

        var response = await api.Anonymous().SendAsync(request);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("support-ticket-42", Assert.Single(response.Headers.GetValues(Correlation.Header)));
    }

    /// <summary>A report, then every adviser command, each request with its own <c>X-Correlation-Id</c>.</summary>
    async Task<(Guid CaseId, List<string> CorrelationIds)> WorkACase()
    {
        var correlationIds = new List<string>();
        string Next()
        {
            var id = $"test-{Guid.NewGuid():N}";
            correlationIds.Add(id);
            return id;
        }

        var member = api.As(_member);
        var report = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(), options: CaseApi.Json) };
        report.Headers.Add(Correlation.Header, Next());
        var reported = await member.SendAsync(report);
        await reported.ShouldHave(HttpStatusCode.Created);
        Assert.Equal(correlationIds[^1], Assert.Single(reported.Headers.GetValues(Correlation.Header)));
        var caseId = (await reported.Body())["caseId"]!.GetValue<Guid>();

        foreach (var (command, body) in AdviserSteps)
        {
            var adviser = api.As(_adviser);
            adviser.DefaultRequestHeaders.Add(Correlation.Header, Next());
            await (await adviser.Command(caseId, command, body)).ShouldHave(HttpStatusCode.OK);
        }
        return (caseId, correlationIds);
    }
}
