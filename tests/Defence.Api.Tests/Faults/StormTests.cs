using System.Net;
using System.Net.Http.Json;
using Defence.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Defence.Api.Tests.Faults;

/// <summary>Many identical requests at once: optimistic concurrency and idempotency must let exactly one through.</summary>
[Collection(ApiCollection.Name)]
public sealed class StormTests(ApiFixture api, ITestOutputHelper output)
{
    [Fact]
    public async Task fifty_concurrent_commands_on_one_case_with_the_same_if_match_give_one_200_and_49_412_and_one_new_event()
    {
        for (var round = 0; round < 3; round++)
        {
            var caseId = await api.As(TestUser.Member()).ReportCase();
            var advisers = Enumerable.Range(0, 50).Select(_ => api.As(TestUser.Adviser())).ToArray();

            var responses = await Task.WhenAll(advisers.Select(a => Task.Run(() =>
                a.Command(caseId, "advice", new { advice = "Keep every letter.", actions = new[] { "keep-contact-log" } }, ifMatch: 1))));

            var tally = new Tally();
            foreach (var r in responses) tally.Count(r.StatusCode);
            var events = await api.EventsOf(ApiFixture.Mdu, caseId);
            output.WriteLine($"Round {round + 1}: 50 advice commands with If-Match \"1\": {tally}; the case has {events.Count} events.");
            Assert.Equal(1, tally["200"]);
            Assert.Equal(49, tally["412"]);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                await refused.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
            Assert.Equal(2, events.Count);
        }
    }

    [Fact]
    public async Task twenty_concurrent_reports_with_one_idempotency_key_make_one_case()
    {
        for (var round = 0; round < 3; round++)
        {
            var member = TestUser.Member();
            var clients = Enumerable.Range(0, 20).Select(_ => api.As(member)).ToArray();
            var key = $"storm-{Guid.NewGuid():N}";

            var responses = await Task.WhenAll(clients.Select(c => Task.Run(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report()) };
                request.Headers.Add("Idempotency-Key", key);
                return c.SendAsync(request);
            })));

            var tally = new Tally();
            foreach (var r in responses) tally.Count(r.StatusCode);
            var cases = new HashSet<Guid>();
            foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Created)) cases.Add((await r.Body())["caseId"]!.GetValue<Guid>());
            // A request that raced the first one's commit is told to retry (409); after the storm a retry finds the case.
            foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created)) await r.ShouldBeProblem(HttpStatusCode.Conflict);
            var retry = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report()) };
            retry.Headers.Add("Idempotency-Key", key);
            var again = await clients[0].SendAsync(retry);
            await again.ShouldHave(HttpStatusCode.Created);
            cases.Add((await again.Body())["caseId"]!.GetValue<Guid>());

            var stored = await api.EventCount(ApiFixture.Mdu, member.Id);
            output.WriteLine($"Round {round + 1}: 20 reports with one key: {tally}; {cases.Count} case id answered; {stored} event(s) stored.");
            Assert.True(tally["201"] >= 1, tally.ToString());
            Assert.Single(cases);
            Assert.Equal(1, stored);
            Assert.Single(await api.EventsOf(ApiFixture.Mdu, cases.Single()));
        }
    }
}
