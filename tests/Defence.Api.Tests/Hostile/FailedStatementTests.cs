using System.Net;
using System.Net.Http.Json;
using Defence.Api.Auditing;
using Defence.Api.Cases.Reporting;
using Defence.Api.Tests.Infrastructure;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defence.Api.Tests.Hostile;

/// <summary>
/// A statement the database refuses must never leave a pooled connection unusable for the next request. The API
/// refuses a NUL character before it reaches the database; these tests send one past that check on purpose,
/// through the same writers the API uses, and then check that other users' requests all still work.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FailedStatementTests(ApiFixture api)
{
    const int Rounds = 100;

    static ReportReceived ReportWithNul(Guid caseId, Guid member) =>
        new(caseId, member, Specialty.GeneralPractice, [Channel.Facebook], Concern.AmorousAdvances, new DateOnly(2026, 9, 1),
            "Held\u0000back", null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task a_report_the_database_refuses_in_a_group_leaves_every_other_users_requests_working()
    {
        var writer = api.Factory.Services.GetRequiredService<ReportWriter>();
        var hostile = new Actor(ApiFixture.Mdu, Guid.NewGuid(), "hostile");
        var member = api.As(TestUser.Member());
        var adviser = api.As(TestUser.Adviser());
        var failures = new List<string>();

        for (var round = 0; round < Rounds; round++)
        {
            var caseId = Guid.NewGuid();
            // Queued together, the hostile report and other members' valid ones share a group and its transaction.
            var refused = writer.WriteAsync(hostile, s => s.Events.StartStream<Case>(caseId, ReportWithNul(caseId, hostile.UserId)), CancellationToken.None);
            var others = Enumerable.Range(0, 4).Select(_ =>
            {
                var other = new Actor(ApiFixture.Mdu, Guid.NewGuid(), $"other-{round}");
                var id = Guid.NewGuid();
                return writer.WriteAsync(other, s => s.Events.StartStream<Case>(id, ReportWithNul(id, other.UserId) with { Summary = "Friend requests." }), CancellationToken.None);
            }).ToArray();
            var valid = Enumerable.Range(0, 3).Select(_ => member.PostAsJsonAsync("/api/reports", CaseApi.Report())).ToArray();

            await Assert.ThrowsAnyAsync<Exception>(() => refused);
            foreach (var other in others)
                try { await other; }
                catch (Exception e) { failures.Add($"grouped report: {e.GetType().Name}: {e.Message}"); }
            foreach (var response in await Task.WhenAll(valid))
                if (response.StatusCode != HttpStatusCode.Created) failures.Add($"report: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

            var reported = (await (await valid[0]).Body())["caseId"]?.GetValue<Guid>();
            if (reported is { } id)
            {
                var advice = await adviser.Command(id, "advice", new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } });
                if (advice.StatusCode != HttpStatusCode.OK) failures.Add($"advice: {(int)advice.StatusCode}");
                var read = await adviser.GetAsync($"/api/cases/{id}");
                if (read.StatusCode != HttpStatusCode.OK) failures.Add($"read: {(int)read.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, await api.EventCount(ApiFixture.Mdu, hostile.UserId));
    }

    [Fact]
    public async Task a_command_the_database_refuses_leaves_every_other_users_requests_working()
    {
        var member = api.As(TestUser.Member());
        var adviser = api.As(TestUser.Adviser());
        var failures = new List<string>();

        for (var round = 0; round < Rounds; round++)
        {
            var hostile = new Actor(ApiFixture.Mdu, Guid.NewGuid(), "hostile");
            await using (var write = await api.Store.BeginWriteAsync(hostile.Tenant, NullLogger.Instance, CancellationToken.None))
            {
                await using var session = write.SessionFor(hostile);
                var caseId = Guid.NewGuid();
                session.Events.StartStream<Case>(caseId, ReportWithNul(caseId, hostile.UserId));
                await Assert.ThrowsAnyAsync<Exception>(() => write.SaveAsync(session, CancellationToken.None));
            }

            var report = await member.PostAsJsonAsync("/api/reports", CaseApi.Report());
            if (report.StatusCode != HttpStatusCode.Created) { failures.Add($"report: {(int)report.StatusCode}"); continue; }
            var id = (await report.Body())["caseId"]!.GetValue<Guid>();
            var advice = await adviser.Command(id, "advice", new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } });
            if (advice.StatusCode != HttpStatusCode.OK) failures.Add($"advice: {(int)advice.StatusCode}");
            var read = await member.GetAsync($"/api/cases/{id}");
            if (read.StatusCode != HttpStatusCode.OK) failures.Add($"read: {(int)read.StatusCode}");
        }

        Assert.Empty(failures);
    }
}
