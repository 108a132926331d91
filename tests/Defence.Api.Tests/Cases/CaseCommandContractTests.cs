using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Cases;

/// <summary>What API.md promises of every case command alike: its answer, If-Match, and 400s for bodies it cannot take.</summary>
[Collection(ApiCollection.Name)]
public sealed class CaseCommandContractTests(ApiFixture api)
{
    readonly TestUser _member = TestUser.Member();
    readonly TestUser _adviser = TestUser.Adviser();

    public static readonly string[] Commands = ["assignment", "advice", "contacts", "gmc-complaint", "allegation-withdrawal", "closure", "reopening"];

    /// <summary>A body each command takes.</summary>
    static readonly Dictionary<string, object> Valid = new()
    {
        ["assignment"] = new { adviserId = Guid.NewGuid() },
        ["advice"] = new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } },
        ["contacts"] = new { channel = "letter", occurredAt = "2026-10-01T10:00:00+00:00", note = "A second letter." },
        ["gmc-complaint"] = new { gmcReference = "GMC-1", receivedOn = "2026-10-02", allegation = "Alleged." },
        ["allegation-withdrawal"] = new { withdrawnOn = "2026-10-03", reason = "Withdrawn." },
        ["closure"] = new { outcome = "Closed." },
        ["reopening"] = new { reason = "New contact." },
    };

    /// <summary>The command a case needs first for this one to be allowed by its state.</summary>
    static readonly Dictionary<string, string> Needs = new() { ["allegation-withdrawal"] = "gmc-complaint", ["reopening"] = "closure" };

    public static TheoryData<string> EveryCommand => new(Commands);

    /// <summary>A case of a fresh member on which <paramref name="command"/> is allowed, and its version.</summary>
    async Task<(Guid CaseId, long Version)> CaseReadyFor(string command)
    {
        var caseId = await api.As(_member).ReportCase();
        var version = 1L;
        if (Needs.TryGetValue(command, out var first))
        {
            await (await api.As(_adviser).Command(caseId, first, Valid[first])).ShouldHave(HttpStatusCode.OK);
            version++;
        }
        return (caseId, version);
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task a_command_answers_the_case_id_and_its_new_version_with_that_version_as_etag(string command)
    {
        var (caseId, version) = await CaseReadyFor(command);

        var response = await api.As(_adviser).Command(caseId, command, Valid[command], ifMatch: version);

        await response.ShouldHave(HttpStatusCode.OK);
        var body = await response.Body();
        Assert.Equal(caseId, body["caseId"]!.GetValue<Guid>());
        Assert.Equal(version + 1, body["version"]!.GetValue<long>());
        Assert.Equal($"\"{version + 1}\"", response.Headers.ETag?.Tag);
        Assert.Equal(version + 1, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }

    [Fact]
    public async Task a_member_logging_a_contact_on_their_own_case_gets_the_case_id_and_new_version_with_etag()
    {
        var member = api.As(_member);
        var caseId = await member.ReportCase();

        var response = await member.Command(caseId, "contacts", Valid["contacts"], ifMatch: 1);

        await response.ShouldHave(HttpStatusCode.OK);
        var body = await response.Body();
        Assert.Equal(caseId, body["caseId"]!.GetValue<Guid>());
        Assert.Equal(2, body["version"]!.GetValue<long>());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task a_stale_if_match_is_a_412_and_writes_nothing(string command)
    {
        var (caseId, version) = await CaseReadyFor(command);
        if (version == 1)
        {
            await (await api.As(_member).Command(caseId, "contacts", Valid["contacts"])).ShouldHave(HttpStatusCode.OK);
            version++;
        }
        var before = await api.EventCount(ApiFixture.Mdu, _adviser.Id);

        var response = await api.As(_adviser).Command(caseId, command, Valid[command], ifMatch: version - 1);

        var problem = await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal(version, problem["currentVersion"]!.GetValue<long>());
        Assert.Equal(version, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
        Assert.Equal(before, await api.EventCount(ApiFixture.Mdu, _adviser.Id));
    }

    /// <summary>Bodies that are not JSON, not an object, cut short, or with a field of the wrong type.</summary>
    static readonly Dictionary<string, (string Body, string Field)> WrongType = new()
    {
        ["assignment"] = ("{\"adviserId\": 42}", "adviserId"),
        ["advice"] = ("{\"advice\": 42, \"actions\": []}", "advice"),
        ["contacts"] = ("{\"channel\": \"letter\", \"occurredAt\": \"yesterday\", \"note\": \"n\"}", "occurredAt"),
        ["gmc-complaint"] = ("{\"gmcReference\": \"G\", \"receivedOn\": \"01/10/2026\", \"allegation\": \"a\"}", "receivedOn"),
        ["allegation-withdrawal"] = ("{\"withdrawnOn\": true, \"reason\": \"r\"}", "withdrawnOn"),
        ["closure"] = ("{\"outcome\": [\"a\"]}", "outcome"),
        ["reopening"] = ("{\"reason\": {}}", "reason"),
    };

    public static TheoryData<string, string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var command in Commands)
        {
            data.Add(command, "not json", "body");
            data.Add(command, "[1, 2]", "body");
            // Cut short after a field's name: the answer names the field where the JSON broke off.
            data.Add(command, $"{{\"{WrongType[command].Field}\": ", WrongType[command].Field);
            data.Add(command, WrongType[command].Body, WrongType[command].Field);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task malformed_json_is_a_400_problem_naming_the_body_or_field_and_writes_no_event(string command, string body, string field)
    {
        var (caseId, version) = await CaseReadyFor(command);
        var before = await api.EventCount(ApiFixture.Mdu, _adviser.Id);

        var response = await api.As(_adviser).Send(HttpMethod.Post, $"/api/cases/{caseId}/{command}", body);

        await response.ShouldBeValidationProblem(field);
        Assert.Equal(version, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
        Assert.Equal(before, await api.EventCount(ApiFixture.Mdu, _adviser.Id));
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("{\"specialty\": ", "specialty")]
    [InlineData("{\"specialty\": \"surgery\", \"channels\": \"letter\", \"concern\": \"harassment\", \"occurredOn\": \"2026-01-01\", \"summary\": \"s\"}", "channels")]
    [InlineData("{\"specialty\": \"surgery\", \"channels\": [\"letter\"], \"concern\": \"harassment\", \"occurredOn\": 20260101, \"summary\": \"s\"}", "occurredOn")]
    public async Task malformed_json_in_a_report_is_a_400_problem_and_starts_no_case(string body, string field)
    {
        var member = api.As(_member);

        var response = await member.Send(HttpMethod.Post, "/api/reports", body);

        await response.ShouldBeValidationProblem(field);
        Assert.Equal(0, await api.EventCount(ApiFixture.Mdu, _member.Id));
    }

    [Theory]
    [InlineData("advice", "advice")]
    [InlineData("contacts", "note")]
    [InlineData("gmc-complaint", "allegation")]
    [InlineData("allegation-withdrawal", "reason")]
    [InlineData("closure", "outcome")]
    [InlineData("reopening", "reason")]
    public async Task text_of_4001_characters_is_a_400_naming_the_field_and_writes_no_event(string command, string field)
    {
        var (caseId, version) = await CaseReadyFor(command);
        var body = JsonSerializer.SerializeToNode(Valid[command], CaseApi.Json)!.AsObject();
        body[field] = new string('a', 4001);

        var response = await api.As(_adviser).Command(caseId, command, body.ToJsonString());

        var errors = await response.ShouldBeValidationProblem(field);
        Assert.Contains("4000", errors[field]![0]!.GetValue<string>());
        Assert.Equal(version, (await api.EventsOf(ApiFixture.Mdu, caseId)).Count);
    }

    [Theory]
    [InlineData("advice", "advice")]
    [InlineData("contacts", "note")]
    [InlineData("gmc-complaint", "allegation")]
    [InlineData("allegation-withdrawal", "reason")]
    [InlineData("closure", "outcome")]
    [InlineData("reopening", "reason")]
    public async Task text_of_exactly_4000_characters_is_accepted(string command, string field)
    {
        var (caseId, version) = await CaseReadyFor(command);
        var body = JsonSerializer.SerializeToNode(Valid[command], CaseApi.Json)!.AsObject();
        body[field] = new string('a', 4000);

        var response = await api.As(_adviser).Command(caseId, command, body.ToJsonString(), ifMatch: version);

        await response.ShouldHave(HttpStatusCode.OK);
    }
}
