using System.Net;
using System.Net.Http.Json;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Identity;

/// <summary>A token may carry several app roles (API.md, "Identity"): its user has the rights of each, and no more.</summary>
[Collection(ApiCollection.Name)]
public sealed class SeveralRolesTests(ApiFixture api)
{
    [Fact]
    public async Task a_member_who_is_also_an_adviser_reports_and_reads_their_own_cases_and_works_other_members_cases()
    {
        var user = new TestUser(ApiFixture.MduTid, Guid.NewGuid(), [Roles.Member, Roles.Adviser]);
        var both = api.As(user);
        var othersCase = await api.As(TestUser.Member()).ReportCase();

        var report = await both.PostAsJsonAsync("/api/reports", CaseApi.Report());
        var mine = await both.GetAsync("/api/me/cases");
        var list = await both.GetAsync("/api/cases");
        var advice = await both.Command(othersCase, "advice", new { advice = "Do not reply.", actions = new[] { "do-not-reply" } });
        var trends = await both.GetAsync("/api/trends?by=specialty");

        await report.ShouldHave(HttpStatusCode.Created);
        var ownCase = (await report.Body())["caseId"]!.GetValue<Guid>();
        await mine.ShouldHave(HttpStatusCode.OK);
        Assert.Equal([ownCase], (await mine.Body())["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        await list.ShouldHave(HttpStatusCode.OK);
        await advice.ShouldHave(HttpStatusCode.OK);
        Assert.Equal(user.Id, (await both.GetCase(othersCase))["advice"]![0]!["givenBy"]!.GetValue<Guid>());
        await trends.ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_member_who_is_also_an_analyst_reports_and_reads_trends_but_cannot_work_cases()
    {
        var both = api.As(new TestUser(ApiFixture.MduTid, Guid.NewGuid(), [Roles.Member, Roles.Analyst]));
        var othersCase = await api.As(TestUser.Member()).ReportCase();

        var report = await both.PostAsJsonAsync("/api/reports", CaseApi.Report());
        var trends = await both.GetAsync("/api/trends?by=specialty");
        var list = await both.GetAsync("/api/cases");
        var advice = await both.Command(othersCase, "advice", new { advice = "Do not reply.", actions = new[] { "do-not-reply" } });
        var othersView = await both.GetAsync($"/api/cases/{othersCase}");

        await report.ShouldHave(HttpStatusCode.Created);
        await trends.ShouldHave(HttpStatusCode.OK);
        await list.ShouldBeProblem(HttpStatusCode.Forbidden);
        await advice.ShouldBeProblem(HttpStatusCode.Forbidden);
        await othersView.ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, othersCase));
    }
}
