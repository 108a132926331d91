using System.Net;
using System.Net.Http.Json;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class CaseLifecycleTests(ApiFixture api)
{
    readonly TestUser _member = TestUser.Member();
    readonly TestUser _adviser = TestUser.Adviser();

    [Fact]
    public async Task a_case_is_worked_end_to_end_and_its_timeline_records_every_step_with_who_and_when()
    {
        var member = api.As(_member);
        var adviser = api.As(_adviser);
        var caseId = await member.ReportCase(CaseApi.Report(patientReference: "J.S. 1984"));

        var steps = new (string Command, object Body)[]
        {
            ("assignment", new { adviserId = _adviser.Id }),
            ("advice", new { advice = "Explain in writing that only a professional relationship is possible.", actions = new[] { "explain-boundary-in-writing", "keep-contact-log" } }),
            ("gmc-complaint", new { gmcReference = "GMC-2026-0042", receivedOn = "2026-10-01", allegation = "Alleged a sexual relationship." }),
            ("allegation-withdrawal", new { withdrawnOn = "2026-11-01", reason = "The complainant admitted it was fabricated." }),
            ("closure", new { outcome = "Allegation withdrawn; no further action." }),
        };
        var version = 1L;
        foreach (var (command, body) in steps)
        {
            var response = await adviser.Command(caseId, command, body, ifMatch: version);
            await response.ShouldHave(HttpStatusCode.OK);
            var result = await response.Body();
            Assert.Equal(caseId, result["caseId"]!.GetValue<Guid>());
            Assert.Equal(++version, result["version"]!.GetValue<long>());
            Assert.Equal($"\"{version}\"", response.Headers.ETag?.Tag);
        }
        var contact = await member.Command(caseId, "contacts", new { channel = "gift", occurredAt = "2026-11-10T09:30:00+00:00", note = "Flowers left at reception." });
        await contact.ShouldHave(HttpStatusCode.OK);

        var view = await adviser.GetCase(caseId);
        Assert.Equal("closed", view["status"]!.GetValue<string>());
        Assert.Equal(7, view["version"]!.GetValue<long>());
        Assert.Equal("general-practice", view["specialty"]!.GetValue<string>());
        Assert.Equal(["facebook", "letter"], view["channels"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("amorous-advances", view["concern"]!.GetValue<string>());
        Assert.Equal("2026-09-01", view["occurredOn"]!.GetValue<string>());
        Assert.Equal("JS 1984", view["patientReference"]!.GetValue<string>());
        Assert.Equal(_member.Id, view["memberId"]!.GetValue<Guid>());
        Assert.Equal(_adviser.Id, view["assignedTo"]!.GetValue<Guid>());
        var advice = Assert.Single(view["advice"]!.AsArray())!;
        Assert.Equal(["explain-boundary-in-writing", "keep-contact-log"], advice["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(_adviser.Id, advice["givenBy"]!.GetValue<Guid>());
        Assert.NotNull(advice["givenAt"]);
        var logged = Assert.Single(view["contacts"]!.AsArray())!;
        Assert.Equal("gift", logged["channel"]!.GetValue<string>());
        Assert.Equal(_member.Id, logged["loggedBy"]!.GetValue<Guid>());
        var complaint = view["gmcComplaint"]!;
        Assert.Equal("GMC-2026-0042", complaint["gmcReference"]!.GetValue<string>());
        Assert.True(complaint["withdrawn"]!.GetValue<bool>());
        Assert.Equal("2026-11-01", complaint["withdrawnOn"]!.GetValue<string>());
        Assert.Equal("Allegation withdrawn; no further action.", view["outcome"]!.GetValue<string>());

        var timeline = view["timeline"]!.AsArray();
        Assert.Equal(
            ["ReportReceived", "CaseAssigned", "AdviceGiven", "GmcComplaintLinked", "AllegationWithdrawn", "CaseClosed", "ContactLogged"],
            timeline.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(
            [_member.Id, _adviser.Id, _adviser.Id, _adviser.Id, _adviser.Id, _adviser.Id, _member.Id],
            timeline.Select(e => e!["by"]!.GetValue<Guid>()));
        var times = timeline.Select(e => e!["at"]!.GetValue<DateTimeOffset>()).ToArray();
        Assert.Equal(times.Order(), times);

        Assert.Equal(7, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }

    [Fact]
    public async Task a_closed_case_can_be_reopened_and_then_worked_again()
    {
        var adviser = api.As(_adviser);
        var caseId = await api.As(_member).ReportCase();
        await (await adviser.Command(caseId, "closure", new { outcome = "Advice given." })).ShouldHave(HttpStatusCode.OK);

        await (await adviser.Command(caseId, "reopening", new { reason = "The patient wrote again." })).ShouldHave(HttpStatusCode.OK);
        await (await adviser.Command(caseId, "advice", new { advice = "Do not reply.", actions = new[] { "do-not-reply" } })).ShouldHave(HttpStatusCode.OK);

        var view = await adviser.GetCase(caseId);
        Assert.Equal("open", view["status"]!.GetValue<string>());
        Assert.Null(view["outcome"]);
        Assert.Equal(["ReportReceived", "CaseClosed", "CaseReopened", "AdviceGiven"],
            view["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
    }

    public static TheoryData<string, string[], string, object> Refusals => new()
    {
        // name, setup commands, refused command, its body
        { "advice on a closed case", ["closure"], "advice", new { advice = "Too late.", actions = Array.Empty<string>() } },
        { "assigning a closed case", ["closure"], "assignment", new { adviserId = Guid.NewGuid() } },
        { "withdrawing without a linked complaint", [], "allegation-withdrawal", new { withdrawnOn = "2026-11-01", reason = "n/a" } },
        { "withdrawing twice", ["gmc-complaint", "allegation-withdrawal"], "allegation-withdrawal", new { withdrawnOn = "2026-11-02", reason = "again" } },
        { "closing a closed case", ["closure"], "closure", new { outcome = "Closed again." } },
        { "reopening an open case", [], "reopening", new { reason = "It is open." } },
        { "linking a second GMC complaint", ["gmc-complaint"], "gmc-complaint", new { gmcReference = "GMC-2", receivedOn = "2026-10-02", allegation = "Another." } },
        { "linking a complaint to a closed case", ["closure"], "gmc-complaint", new { gmcReference = "GMC-3", receivedOn = "2026-10-02", allegation = "Late." } },
    };

    static readonly Dictionary<string, object> SetupBodies = new()
    {
        ["closure"] = new { outcome = "Advice given." },
        ["gmc-complaint"] = new { gmcReference = "GMC-1", receivedOn = "2026-10-01", allegation = "Alleged." },
        ["allegation-withdrawal"] = new { withdrawnOn = "2026-10-15", reason = "Fabricated." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task a_command_the_case_state_forbids_is_refused_with_409_and_writes_no_event(string name, string[] setup, string command, object body)
    {
        var adviser = api.As(_adviser);
        var caseId = await api.As(_member).ReportCase();
        foreach (var step in setup)
            await (await adviser.Command(caseId, step, SetupBodies[step])).ShouldHave(HttpStatusCode.OK);
        var before = (await api.EventsOf(ApiFixture.Mdu, caseId)).Count;

        var response = await adviser.Command(caseId, command, body);

        var problem = await response.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"{name}: the problem should say why");
        Assert.Equal(before, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }

    [Fact]
    public async Task a_withdrawal_dated_before_the_complaint_was_received_is_a_bad_field_and_writes_no_event()
    {
        var adviser = api.As(_adviser);
        var caseId = await api.As(_member).ReportCase();
        await (await adviser.Command(caseId, "gmc-complaint", SetupBodies["gmc-complaint"])).ShouldHave(HttpStatusCode.OK);

        var response = await adviser.Command(caseId, "allegation-withdrawal", new { withdrawnOn = "2026-09-30", reason = "Fabricated." });

        await response.ShouldBeValidationProblem("withdrawnOn");
        Assert.Equal(2, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }

    public static TheoryData<string, object, string[]> InvalidCommands => new()
    {
        { "assignment", new { }, ["adviserId"] },
        { "advice", new { actions = new[] { "do-not-reply" } }, ["advice"] },
        { "advice", new { advice = "x" }, ["actions"] },
        { "advice", new { advice = "x", actions = new[] { "do-not-reply", "shout-back" } }, ["actions[1]"] },
        { "advice", new { advice = new string('a', 4001), actions = Array.Empty<string>() }, ["advice"] },
        { "contacts", new { channel = "pigeon", occurredAt = "2026-11-01T10:00:00Z" }, ["channel", "note"] },
        { "contacts", new { channel = "phone", note = "Called." }, ["occurredAt"] },
        { "contacts", new { channel = "phone", occurredAt = "2999-01-01T10:00:00Z", note = "From the future." }, ["occurredAt"] },
        { "gmc-complaint", new { gmcReference = "   ", receivedOn = "2026-10-01" }, ["gmcReference", "allegation"] },
        { "gmc-complaint", new { gmcReference = "G", receivedOn = "2999-10-01", allegation = "x" }, ["receivedOn"] },
        { "allegation-withdrawal", new { reason = "x" }, ["withdrawnOn"] },
        { "closure", new { outcome = "" }, ["outcome"] },
        { "reopening", new { }, ["reason"] },
    };

    [Theory]
    [MemberData(nameof(InvalidCommands))]
    public async Task an_invalid_command_body_is_a_400_naming_each_bad_field_and_writes_no_event(string command, object body, string[] fields)
    {
        var caseId = await api.As(_member).ReportCase();

        var response = await api.As(_adviser).Command(caseId, command, body);

        await response.ShouldBeValidationProblem(fields);
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task a_command_on_a_case_that_does_not_exist_is_404()
    {
        var response = await api.As(_adviser).Command(Guid.NewGuid(), "advice", new { advice = "x", actions = Array.Empty<string>() });

        await response.ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task reading_a_case_that_does_not_exist_is_404()
    {
        var response = await api.As(_adviser).GetAsync($"/api/cases/{Guid.NewGuid()}");

        await response.ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_member_logs_contacts_on_their_own_case_even_after_it_is_closed()
    {
        var member = api.As(_member);
        var caseId = await member.ReportCase();
        await (await api.As(_adviser).Command(caseId, "closure", new { outcome = "Advice given." })).ShouldHave(HttpStatusCode.OK);

        var response = await member.Command(caseId, "contacts", new { channel = "text-message", occurredAt = "2026-11-20T21:00:00+01:00", note = "Late-night text." });

        await response.ShouldHave(HttpStatusCode.OK);
        var contact = Assert.Single((await member.GetCase(caseId))["contacts"]!.AsArray())!;
        Assert.Equal("text-message", contact["channel"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T20:00:00Z"), contact["occurredAt"]!.GetValue<DateTimeOffset>());
    }
}
