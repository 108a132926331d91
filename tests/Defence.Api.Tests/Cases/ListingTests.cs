using System.Net;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class ListingTests(ApiFixture api)
{
    // Every case here is assigned to a fresh adviser, so filtering by it isolates this test's cases.
    readonly TestUser _adviser = TestUser.Adviser();

    async Task<Guid> AssignedCase(object report, bool closed = false)
    {
        var caseId = await api.As(TestUser.Member()).ReportCase(report);
        var adviser = api.As(_adviser);
        await (await adviser.Command(caseId, "assignment", new { adviserId = _adviser.Id })).ShouldHave(HttpStatusCode.OK);
        if (closed) await (await adviser.Command(caseId, "closure", new { outcome = "Done." })).ShouldHave(HttpStatusCode.OK);
        return caseId;
    }

    async Task<JsonNode> List(string query, TestUser? as_ = null)
    {
        var response = await api.As(as_ ?? _adviser).GetAsync($"/api/cases?assignedTo={_adviser.Id}&{query}");
        await response.ShouldHave(HttpStatusCode.OK);
        return await response.Body();
    }

    static Guid[] Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToArray();

    [Fact]
    public async Task cases_are_filtered_by_status_specialty_channel_and_concern()
    {
        var gpFacebook = await AssignedCase(CaseApi.Report(specialty: "general-practice", channels: ["facebook"], concern: "amorous-advances"));
        var psychiatryText = await AssignedCase(CaseApi.Report(specialty: "psychiatry", channels: ["text-message", "letter"], concern: "harassment"));
        var closedGp = await AssignedCase(CaseApi.Report(specialty: "general-practice", channels: ["letter"], concern: "amorous-advances"), closed: true);

        Assert.Equal(new[] { closedGp, gpFacebook }.Order(), Ids(await List("specialty=general-practice")).Order());
        Assert.Equal(new[] { psychiatryText, closedGp }.Order(), Ids(await List("channel=letter")).Order());
        Assert.Equal([psychiatryText], Ids(await List("concern=harassment")));
        Assert.Equal([closedGp], Ids(await List("status=closed")));
        Assert.Equal([gpFacebook], Ids(await List("status=open&specialty=general-practice")));
        Assert.Equal(3, (await List("")).AsObject()["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task cases_come_newest_first_in_pages_with_the_total()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await AssignedCase(CaseApi.Report()));

        var first = await List("page=1&pageSize=2");
        var third = await List("page=3&pageSize=2");

        Assert.Equal(5, first["total"]!.GetValue<long>());
        Assert.Equal(1, first["page"]!.GetValue<int>());
        Assert.Equal(2, first["pageSize"]!.GetValue<int>());
        Assert.Equal([ids[4], ids[3]], Ids(first));
        Assert.Equal([ids[0]], Ids(third));
    }

    [Fact]
    public async Task list_items_summarise_a_case_without_its_history()
    {
        var caseId = await AssignedCase(CaseApi.Report(specialty: "dermatology", channels: ["instagram"]));

        var item = Assert.Single((await List("")).AsObject()["items"]!.AsArray())!;

        Assert.Equal(caseId, item["id"]!.GetValue<Guid>());
        Assert.Equal(2, item["version"]!.GetValue<long>());
        Assert.Equal("dermatology", item["specialty"]!.GetValue<string>());
        Assert.Equal(["instagram"], item["channels"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(_adviser.Id, item["assignedTo"]!.GetValue<Guid>());
        Assert.Null(item["timeline"]);
    }

    [Fact]
    public async Task a_tenant_admin_lists_cases_too()
    {
        var caseId = await AssignedCase(CaseApi.Report());

        Assert.Equal([caseId], Ids(await List("", TestUser.TenantAdmin())));
    }

    [Theory]
    [InlineData("status=pending", "status")]
    [InlineData("specialty=cardiology", "specialty")]
    [InlineData("channel=pigeon", "channel")]
    [InlineData("concern=worry", "concern")]
    [InlineData("assignedTo=bob", "assignedTo")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    public async Task a_bad_list_parameter_is_a_400_naming_it(string query, string field)
    {
        var response = await api.As(_adviser).GetAsync($"/api/cases?{query}");

        await response.ShouldBeValidationProblem(field);
    }

    [Fact]
    public async Task a_member_lists_their_own_cases_only()
    {
        var me = TestUser.Member();
        var mine = await api.As(me).ReportCase();
        await api.As(TestUser.Member()).ReportCase();

        var page = await (await api.As(me).GetAsync("/api/me/cases")).Body();

        Assert.Equal([mine], Ids(page));
        Assert.Equal(1, page["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_member_filters_their_cases_by_status()
    {
        var me = TestUser.Member();
        var open = await api.As(me).ReportCase();
        var closed = await api.As(me).ReportCase();
        await (await api.As(_adviser).Command(closed, "closure", new { outcome = "Done." })).ShouldHave(HttpStatusCode.OK);

        Assert.Equal([open], Ids(await (await api.As(me).GetAsync("/api/me/cases?status=open")).Body()));
        await (await api.As(me).GetAsync("/api/me/cases?status=nope")).ShouldBeValidationProblem("status");
    }
}
