using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;
using Npgsql;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Members;

/// <summary>A member's rights over their data: a tenant admin exports all of it, and erases their personal details.</summary>
[Collection(ApiCollection.Name)]
public sealed class MemberDataTests(ApiFixture api)
{
    [Fact]
    public async Task an_export_holds_every_case_of_the_member_in_this_tenant_with_every_event_and_nothing_of_anyone_else()
    {
        var tenant = ApiFixture.NewTenant();
        var member = tenant.Member();
        var first = await api.As(member).ReportCase();
        var second = await api.As(member).ReportCase(CaseApi.Report(summary: "A second patient's letters."));
        await (await api.As(tenant.Adviser()).Command(first, "advice", new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } }))
            .ShouldHave(HttpStatusCode.OK);
        var someoneElse = await api.As(tenant.Member()).ReportCase();

        var response = await api.As(tenant.TenantAdmin()).GetAsync($"/api/members/{member.Id}/export");

        await response.ShouldHave(HttpStatusCode.OK);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var export = await response.Body();
        Assert.Equal(member.Id, export["memberId"]!.GetValue<Guid>());
        var cases = export["cases"]!.AsArray();
        Assert.Equal([first, second], cases.Select(c => c!["case"]!["id"]!.GetValue<Guid>()).Order());
        Assert.DoesNotContain(someoneElse.ToString(), export.ToJsonString());
        var firstEvents = cases.Single(c => c!["case"]!["id"]!.GetValue<Guid>() == first)!["events"]!.AsArray();
        Assert.Equal(["ReportReceived", "AdviceGiven"], firstEvents.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(member.Id.ToString(), firstEvents[0]!["actor"]!.GetValue<string>());
        Assert.Equal("The patient sent repeated friend requests and letters.", firstEvents[0]!["data"]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_member_without_cases_in_this_tenant_is_404_for_export_and_erasure()
    {
        var member = TestUser.Member();
        await api.As(member).ReportCase();
        var otherTenantsAdmin = api.As(TestUser.TenantAdmin(ApiFixture.MpsTid));

        await (await otherTenantsAdmin.GetAsync($"/api/members/{member.Id}/export")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await otherTenantsAdmin.PostAsJsonAsync($"/api/members/{member.Id}/erasure", new { reason = "Asked." })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await api.As(TestUser.TenantAdmin()).GetAsync($"/api/members/{Guid.NewGuid()}/export")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Equal(1, await api.EventCount(ApiFixture.Mdu, member.Id));
    }

    [Fact]
    public async Task an_erasure_without_a_reason_is_a_400_and_writes_nothing()
    {
        var member = TestUser.Member();
        var caseId = await api.As(member).ReportCase();

        var response = await api.As(TestUser.TenantAdmin()).PostAsJsonAsync($"/api/members/{member.Id}/erasure", new { reason = " " });

        await response.ShouldBeValidationProblem("reason");
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
        Assert.Equal("The patient sent repeated friend requests and letters.", (await api.As(member).GetCase(caseId))["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task erasure_removes_the_members_text_from_the_database_rows_keeps_the_figures_and_spares_later_reports()
    {
        var tenant = ApiFixture.NewTenant();
        var member = tenant.Member();
        var adviser = api.As(tenant.Adviser());
        var secret = $"secret-{Guid.NewGuid():N}";
        var caseId = await api.As(member).ReportCase(CaseApi.Report(occurredOn: "2024-05-06", summary: $"{secret} summary", patientReference: "QZ 1971"));
        async Task Command(string command, object body) => await (await adviser.Command(caseId, command, body)).ShouldHave(HttpStatusCode.OK);
        await Command("assignment", new { adviserId = Guid.NewGuid() });
        await Command("advice", new { advice = $"{secret} advice", actions = new[] { "keep-contact-log" } });
        await (await api.As(member).Command(caseId, "contacts", new { channel = "letter", occurredAt = "2024-06-01T10:00:00Z", note = $"{secret} note" }))
            .ShouldHave(HttpStatusCode.OK);
        await Command("gmc-complaint", new { gmcReference = "GMC-1", receivedOn = "2024-07-01", allegation = $"{secret} allegation" });
        await Command("allegation-withdrawal", new { withdrawnOn = "2024-08-01", reason = $"{secret} withdrawal" });
        await Command("closure", new { outcome = $"{secret} outcome" });
        await Command("reopening", new { reason = $"{secret} reopening" });
        var analyst = api.As(tenant.Analyst());
        await api.ProjectionsCaughtUp();
        var before = await analyst.Trends("by=specialty,channel&from=2024-01-01&to=2024-12-31");
        Assert.Equal(7 + 1, await RowsHoldingAsync(secret, "QZ 1971")); // the seven events with text, and the case view

        var erasure = await api.As(tenant.TenantAdmin()).PostAsJsonAsync($"/api/members/{member.Id}/erasure", new { reason = "Subject's request SAR-17." });

        await erasure.ShouldHave(HttpStatusCode.OK);
        var result = await erasure.Body();
        Assert.Equal((1, 7), (result["cases"]!.GetValue<int>(), result["eventsMasked"]!.GetValue<int>()));
        Assert.Equal(0, await RowsHoldingAsync(secret, "QZ 1971"));

        var view = await api.As(member).GetCase(caseId);
        Assert.Equal("[erased]", view["summary"]!.GetValue<string>());
        Assert.Null(view["patientReference"]);
        Assert.Equal(("general-practice", "2024-05-06", "open"),
            (view["specialty"]!.GetValue<string>(), view["occurredOn"]!.GetValue<string>(), view["status"]!.GetValue<string>()));

        var export = await (await api.As(tenant.TenantAdmin()).GetAsync($"/api/members/{member.Id}/export")).Body();
        var events = export["cases"]![0]!["events"]!.AsArray();
        Assert.Equal("PersonalDetailsErased", events[^1]!["type"]!.GetValue<string>());
        Assert.Equal("Subject's request SAR-17.", events[^1]!["data"]!["reason"]!.GetValue<string>());
        Assert.DoesNotContain(secret, export.ToJsonString());

        await api.ProjectionsCaughtUp();
        var after = await analyst.Trends("by=specialty,channel&from=2024-01-01&to=2024-12-31");
        Assert.Equal(Figures(before), Figures(after));

        var later = await api.As(member).ReportCase(CaseApi.Report(summary: $"{secret} later"));
        Assert.Equal($"{secret} later", (await api.As(member).GetCase(later))["summary"]!.GetValue<string>());
    }

    static string Figures(JsonNode trends) => trends["total"] + " " + trends["rows"]!.ToJsonString();

    /// <summary>Rows of the event store and the case views, in any tenant, whose stored JSON holds any of <paramref name="texts"/>.</summary>
    async Task<long> RowsHoldingAsync(params string[] texts)
    {
        var schema = api.Store.Options.Events.DatabaseSchemaName;
        await using var connection = api.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        long rows = 0;
        foreach (var table in new[] { "mt_events", "mt_doc_caseview" })
        {
            await using var count = new NpgsqlCommand($"select count(*) from {schema}.{table} where data::text like any(@patterns)", connection);
            count.Parameters.AddWithValue("patterns", texts.Select(t => $"%{t}%").ToArray());
            rows += (long)(await count.ExecuteScalarAsync())!;
        }
        return rows;
    }
}
