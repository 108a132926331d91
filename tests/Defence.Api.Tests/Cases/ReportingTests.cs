using System.Net;
using System.Net.Http.Json;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class ReportingTests(ApiFixture api)
{
    readonly TestUser _member = TestUser.Member();

    [Fact]
    public async Task a_report_starts_a_case_answering_201_with_its_location_id_and_version()
    {
        var response = await api.As(_member).PostAsJsonAsync("/api/reports", CaseApi.Report());

        await response.ShouldHave(HttpStatusCode.Created);
        var body = await response.Body();
        var caseId = body["caseId"]!.GetValue<Guid>();
        Assert.Equal(1, body["version"]!.GetValue<long>());
        Assert.Equal($"/api/cases/{caseId}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var stored = Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
        Assert.Equal("ReportReceived", stored.Data.GetType().Name);
    }

    [Fact]
    public async Task events_are_stored_with_the_vocabulary_codes_of_the_api()
    {
        var caseId = await api.As(_member).ReportCase(CaseApi.Report(specialty: "obstetrics-gynaecology", channels: ["text-message"]));
        await using var connection = new Npgsql.NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select data::text from defence.mt_events where stream_id = @id", connection);
        command.Parameters.AddWithValue("id", caseId);

        var data = (string)(await command.ExecuteScalarAsync())!;

        Assert.Contains("\"specialty\": \"obstetrics-gynaecology\"", data);
        Assert.Contains("\"channels\": [\"text-message\"]", data);
        Assert.Contains("\"concern\": \"amorous-advances\"", data);
    }

    [Fact]
    public async Task the_reporting_member_reads_the_new_case_as_open_and_unassigned()
    {
        var member = api.As(_member);
        var caseId = await member.ReportCase(CaseApi.Report(specialty: "psychiatry", channels: ["text-message"], concern: "harassment"));

        var view = await member.GetCase(caseId);

        Assert.Equal(caseId, view["id"]!.GetValue<Guid>());
        Assert.Equal("open", view["status"]!.GetValue<string>());
        Assert.Equal("psychiatry", view["specialty"]!.GetValue<string>());
        Assert.Equal("harassment", view["concern"]!.GetValue<string>());
        Assert.Null(view["assignedTo"]);
        Assert.Null(view["gmcComplaint"]);
        Assert.Empty(view["advice"]!.AsArray());
        Assert.NotNull(view["reportedAt"]);
    }

    public static TheoryData<object, string[]> InvalidReports => new()
    {
        { new { }, ["specialty", "channels", "concern", "occurredOn", "summary"] },
        { CaseApi.Report(specialty: "cardiology"), ["specialty"] },
        { CaseApi.Report(channels: []), ["channels"] },
        { CaseApi.Report(channels: ["facebook", "carrier-pigeon"]), ["channels[1]"] },
        { CaseApi.Report(concern: "Amorous-Advances"), ["concern"] },
        { CaseApi.Report(summary: "   "), ["summary"] },
        { CaseApi.Report(summary: new string('x', 4001)), ["summary"] },
        { CaseApi.Report(occurredOn: "2999-01-01"), ["occurredOn"] },
        { CaseApi.Report(occurredOn: "01/09/2026"), ["occurredOn"] },
        { CaseApi.Report(patientReference: "Jane Smith, born 1984"), ["patientReference"] },
    };

    [Theory]
    [MemberData(nameof(InvalidReports))]
    public async Task an_invalid_report_is_a_400_naming_each_bad_field_and_starts_no_case(object report, string[] fields)
    {
        var member = TestUser.Member();

        var response = await api.As(member).PostAsJsonAsync("/api/reports", report);

        await response.ShouldBeValidationProblem(fields);
        Assert.Equal(0, (await (await api.As(member).GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"channels":"facebook"}""", "channels", "'channels' must be a list (a JSON array).")]
    [InlineData("""{"occurredOn":20260901}""", "occurredOn", "'occurredOn' must be a date, YYYY-MM-DD.")]
    [InlineData("""{"summary":["a"]}""", "summary", "'summary' must be text (a JSON string).")]
    public async Task a_value_of_the_wrong_json_type_is_a_400_saying_what_the_field_holds(string body, string field, string message)
    {
        var response = await api.As(TestUser.Member()).Send(HttpMethod.Post, "/api/reports", body);

        var errors = await response.ShouldBeValidationProblem(field);
        Assert.True(message == errors[field]![0]!.GetValue<string>(), errors[field]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task a_five_megabyte_summary_is_a_400_problem_and_starts_no_case()
    {
        var member = TestUser.Member();

        var response = await api.As(member).PostAsJsonAsync("/api/reports", CaseApi.Report(summary: new string('a', 5 * 1024 * 1024)));

        var errors = await response.ShouldBeValidationProblem("summary");
        Assert.Contains("4000", errors["summary"]![0]!.GetValue<string>());
        Assert.Equal(0, (await (await api.As(member).GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_patient_reference_is_kept_as_initials_and_year_of_birth_only()
    {
        var member = api.As(_member);
        var caseId = await member.ReportCase(CaseApi.Report(patientReference: "a.b.c 1971"));

        Assert.Equal("ABC 1971", (await member.GetCase(caseId))["patientReference"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_same_idempotency_key_sent_twice_by_the_same_member_gives_the_same_case_and_no_second_case()
    {
        var member = api.As(_member);

        var first = await Post(member, "key-1", CaseApi.Report());
        var second = await Post(member, "key-1", CaseApi.Report());

        await first.ShouldHave(HttpStatusCode.Created);
        await second.ShouldHave(HttpStatusCode.Created);
        var caseId = (await first.Body())["caseId"]!.GetValue<Guid>();
        Assert.Equal(caseId, (await second.Body())["caseId"]!.GetValue<Guid>());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, (await (await member.GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task the_same_idempotency_key_sent_concurrently_still_gives_one_case()
    {
        var member = api.As(_member);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Post(member, "race", CaseApi.Report())));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"unexpected {r.StatusCode}"));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, (await (await member.GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
    }

    /// <summary>
    /// Reports arriving together are committed as one group; a racing duplicate in the group rolls it back and
    /// each report is written alone, so the duplicate fails and every other report still gets its case.
    /// </summary>
    [Fact]
    public async Task a_racing_duplicate_among_other_reports_fails_alone()
    {
        var racer = api.As(_member);
        var others = Enumerable.Range(0, 12).Select(_ => TestUser.Member()).ToArray();

        var racing = Enumerable.Range(0, 4).Select(_ => Post(racer, "race-in-a-group", CaseApi.Report()));
        var distinct = others.Select(o => api.As(o).PostAsJsonAsync("/api/reports", CaseApi.Report(), CaseApi.Json));
        var responses = await Task.WhenAll(racing.Concat(distinct));

        Assert.All(responses[..4], r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"unexpected {r.StatusCode}"));
        Assert.Equal(1, (await (await racer.GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
        Assert.All(responses[4..], r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        foreach (var other in others)
            Assert.Equal(1, (await (await api.As(other).GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task different_members_using_the_same_idempotency_key_get_different_cases()
    {
        var first = await Post(api.As(_member), "shared-key", CaseApi.Report());
        var second = await Post(api.As(TestUser.Member()), "shared-key", CaseApi.Report());

        Assert.NotEqual((await first.Body())["caseId"]!.GetValue<Guid>(), (await second.Body())["caseId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task reusing_an_idempotency_key_for_a_different_report_is_refused_with_422()
    {
        var member = api.As(_member);
        await (await Post(member, "key-2", CaseApi.Report(summary: "First report."))).ShouldHave(HttpStatusCode.Created);

        var response = await Post(member, "key-2", CaseApi.Report(summary: "A different report."));

        await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, (await (await member.GetAsync("/api/me/cases")).Body())["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task an_idempotency_key_longer_than_255_characters_is_a_400()
    {
        var response = await Post(api.As(_member), new string('k', 256), CaseApi.Report());

        await response.ShouldBeValidationProblem("Idempotency-Key");
    }

    static Task<HttpResponseMessage> Post(HttpClient client, string key, object report)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(report) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
