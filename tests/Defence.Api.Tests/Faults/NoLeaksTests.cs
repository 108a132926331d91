using System.Net;
using System.Text;
using Defence.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Defence.Api.Tests.Faults;

/// <summary>
/// A case's whole life, with text of its own in every free-text field, and the error answers around it: no answer
/// shows a stack trace, SQL, a .NET type name or a server version, and no log entry at any level holds any of the
/// text (a summary, a note, a patient reference, an allegation: special category data).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NoLeaksTests(ApiFixture api, ITestOutputHelper output)
{
    [Fact]
    public async Task a_full_lifecycle_and_its_error_answers_leak_nothing_into_answers_or_logs()
    {
        var mark = $"LEAKMARK{Guid.NewGuid():N}"[..24];
        var random = new Random();
        var initials = new string(Enumerable.Range(0, 3).Select(_ => (char)('A' + random.Next(26))).ToArray());
        var patientReference = $"{initials} {random.Next(1930, 2000)}";
        var text = new Dictionary<string, string>
        {
            ["summary"] = $"{mark} summary: the patient wrote letters.",
            ["advice"] = $"{mark} advice: keep every letter.",
            ["note"] = $"{mark} note: a further letter came.",
            ["gmcReference"] = $"{mark}GMC",
            ["allegation"] = $"{mark} allegation: improper remarks.",
            ["withdrawal"] = $"{mark} withdrawal: the complainant withdrew.",
            ["outcome"] = $"{mark} outcome: resolved.",
            ["reopening"] = $"{mark} reopening: a new letter.",
            ["refused"] = $"{mark} refused text",
        };
        var member = TestUser.Member();
        var adviser = TestUser.Adviser();
        var asMember = api.As(member);
        var asAdviser = api.As(adviser);
        var answers = 0;

        async Task<HttpResponseMessage> Check(string what, Task<HttpResponseMessage> call, HttpStatusCode expected)
        {
            var response = await call;
            answers++;
            await response.ShouldNotLeak(what);
            if (response.StatusCode != expected)
                Assert.Fail($"{what}: expected {(int)expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if ((int)expected >= 400) await response.ShouldBeProblem(expected);
            return response;
        }

        var reported = await Check("report", asMember.Send(HttpMethod.Post, "/api/reports", CaseApi.Report(occurredOn: "2025-01-10",
            summary: text["summary"], patientReference: $"{initials[0]}.{initials[1]}.{initials[2]}. {patientReference[^4..]}")), HttpStatusCode.Created);
        var caseId = (await reported.Body())["caseId"]!.GetValue<Guid>();
        Task<HttpResponseMessage> Command(HttpClient who, string command, object body, long? ifMatch = null) => who.Command(caseId, command, body, ifMatch);

        // Refusals with the text in them, before and during the life of the case.
        await Check("a withdrawal without a complaint", Command(asAdviser, "allegation-withdrawal", new { withdrawnOn = "2025-03-01", reason = text["refused"] }), HttpStatusCode.Conflict);
        await Check("an invalid patient reference", asMember.Send(HttpMethod.Post, "/api/reports",
            CaseApi.Report(summary: text["refused"], patientReference: $"John Smith {mark}")), HttpStatusCode.BadRequest);
        await Check("an oversized summary", asMember.Send(HttpMethod.Post, "/api/reports",
            CaseApi.Report(summary: mark + new string('x', 4_100))), HttpStatusCode.BadRequest);
        await Check("malformed JSON", asMember.Send(HttpMethod.Post, "/api/reports", $"{{\"summary\": \"{mark}"), HttpStatusCode.BadRequest);
        await Check("a wrong type", asMember.Send(HttpMethod.Post, "/api/reports", $"{{\"summary\": [\"{mark}\"], \"specialty\": 1}}"), HttpStatusCode.BadRequest);
        await Check("no token", api.Anonymous().Send(HttpMethod.Post, $"/api/cases/{caseId}/advice",
            new { advice = text["refused"], actions = new[] { "keep-contact-log" } }), HttpStatusCode.Unauthorized);
        await Check("a member giving advice", Command(asMember, "advice", new { advice = text["refused"], actions = new[] { "keep-contact-log" } }), HttpStatusCode.Forbidden);
        await Check("another tenant's adviser", Command(api.As(TestUser.Adviser(ApiFixture.MpsTid)), "advice",
            new { advice = text["refused"], actions = new[] { "keep-contact-log" } }), HttpStatusCode.NotFound);
        await Check("an unknown case", asAdviser.Command(Guid.NewGuid(), "advice", new { advice = text["refused"], actions = new[] { "keep-contact-log" } }), HttpStatusCode.NotFound);
        await Check("an unknown action code", Command(asAdviser, "advice", new { advice = text["refused"], actions = new[] { mark } }), HttpStatusCode.BadRequest);

        // The life of the case.
        await Check("assignment", Command(asAdviser, "assignment", new { adviserId = adviser.Id }), HttpStatusCode.OK);
        await Check("advice", Command(asAdviser, "advice", new { advice = text["advice"], actions = new[] { "keep-contact-log" } }), HttpStatusCode.OK);
        await Check("a stale If-Match", Command(asAdviser, "advice", new { advice = text["refused"], actions = new[] { "keep-contact-log" } }, ifMatch: 1), HttpStatusCode.PreconditionFailed);
        await Check("a member's contact", Command(asMember, "contacts", new { channel = "letter", occurredAt = "2025-01-20T10:00:00Z", note = text["note"] }), HttpStatusCode.OK);
        await Check("a GMC complaint", Command(asAdviser, "gmc-complaint",
            new { gmcReference = text["gmcReference"], receivedOn = "2025-02-01", allegation = text["allegation"] }), HttpStatusCode.OK);
        await Check("a withdrawal", Command(asAdviser, "allegation-withdrawal", new { withdrawnOn = "2025-03-01", reason = text["withdrawal"] }), HttpStatusCode.OK);
        await Check("closure", Command(asAdviser, "closure", new { outcome = text["outcome"] }), HttpStatusCode.OK);
        await Check("closing twice", Command(asAdviser, "closure", new { outcome = text["refused"] }), HttpStatusCode.Conflict);
        await Check("advice on a closed case", Command(asAdviser, "advice", new { advice = text["refused"], actions = new[] { "keep-contact-log" } }), HttpStatusCode.Conflict);
        await Check("reopening", Command(asAdviser, "reopening", new { reason = text["reopening"] }), HttpStatusCode.OK);

        // Reading it back shows the text to those who may see it, and nothing of the server.
        var read = await Check("the case, to its adviser", asAdviser.GetAsync($"/api/cases/{caseId}"), HttpStatusCode.OK);
        var view = await read.Content.ReadAsStringAsync();
        foreach (var field in new[] { "summary", "advice", "note", "allegation" })
            Assert.Contains(text[field], view);
        Assert.Contains(patientReference, view);
        Assert.Equal(8, (await read.Body())["version"]!.GetValue<long>());
        await Check("the case, to its member", asMember.GetAsync($"/api/cases/{caseId}"), HttpStatusCode.OK);
        await Check("the member's cases", asMember.GetAsync("/api/me/cases"), HttpStatusCode.OK);
        await Check("the case list", asAdviser.GetAsync($"/api/cases?assignedTo={adviser.Id}"), HttpStatusCode.OK);
        await Check("another member reading it", api.As(TestUser.Member()).GetAsync($"/api/cases/{caseId}"), HttpStatusCode.NotFound);
        await Check("an unknown path", asAdviser.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound);

        // Nothing of the text, at any level, in any category, in this run's log so far.
        string[] secrets = [.. text.Values, mark, patientReference];
        var leaked = api.Logs.Containing(secrets);
        output.WriteLine($"{answers} answers checked; {api.Logs.Entries.Count} log entries searched for {secrets.Length} texts; {leaked.Count} hold any.");
        Assert.True(leaked.Count == 0, $"{leaked.Count} log entries hold case text:\n" + string.Join("\n---\n", leaked.Take(10)));
    }
}
