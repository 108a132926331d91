using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFixture api)
{
    /// <summary>Each test imports into a tenant of its own, so it counts only its own cases and events.</summary>
    readonly TestTenant _tenant = ApiFixture.NewTenant();
    HttpClient Admin => api.As(_tenant.TenantAdmin());
    string Tenant => _tenant.Key;

    static string Ref() => $"I-{Guid.NewGuid():N}";

    [Fact]
    public async Task an_import_creates_cases_that_replay_their_history_with_original_dates()
    {
        var reference = Ref();
        var result = await Admin.ImportOk(Row(reference, "2009-03-02", "general-practice", "facebook|letter|gift",
            gmcReference: "GMC-77", gmcReceivedOn: "2009-05-01", withdrawnOn: "2009-11-01", closedOn: "2009-12-01", outcome: "Withdrawn as fabricated."));

        Assert.Equal(1, result["imported"]!.GetValue<int>());
        Assert.Equal(0, result["skipped"]!.GetValue<int>());
        var view = Assert.Single(await CasesOf(_tenant));
        Assert.Equal(reference, view["caseReference"]!.GetValue<string>());

        Assert.Null(view["memberId"]);
        Assert.Equal("closed", view["status"]!.GetValue<string>());
        Assert.Equal("Withdrawn as fabricated.", view["outcome"]!.GetValue<string>());
        Assert.True(view["gmcComplaint"]!["withdrawn"]!.GetValue<bool>());
        Assert.Equal(["CaseImported", "GmcComplaintLinked", "AllegationWithdrawn", "CaseClosed"],
            view["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(["2009-05-01", "2009-11-01", "2009-12-01"],
            view["timeline"]!.AsArray().Skip(1).Select(e => e!["at"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-dd")));
    }

    [Fact]
    public async Task importing_the_same_file_twice_imports_nothing_the_second_time_and_writes_no_event()
    {
        string[] rows = [Row(Ref(), "2008-01-01"), Row(Ref(), "2008-01-02", closedOn: "2008-02-01", outcome: "Done.")];
        await Admin.ImportOk(rows);
        var before = await api.EventCount(Tenant);

        var again = await Admin.ImportOk(rows);

        Assert.Equal(0, again["imported"]!.GetValue<int>());
        Assert.Equal(2, again["skipped"]!.GetValue<int>());
        Assert.Equal(before, await api.EventCount(Tenant));
    }

    [Fact]
    public async Task a_file_mixing_new_and_present_case_refs_imports_the_new_ones_and_skips_the_present_ones()
    {
        string[] present = [Row(Ref(), "2008-01-01"), Row(Ref(), "2008-01-02", closedOn: "2008-02-01", outcome: "Done.")];
        string[] fresh = [Row(Ref(), "2008-01-03"), Row(Ref(), "2008-01-04", gmcReference: "G-1", gmcReceivedOn: "2008-01-20")];
        await Admin.ImportOk(present);
        var before = await api.EventCount(Tenant);

        var again = await Admin.ImportOk([present[0], fresh[0], present[1], fresh[1]]);

        Assert.Equal(2, again["imported"]!.GetValue<int>());
        Assert.Equal(2, again["skipped"]!.GetValue<int>());
        Assert.Equal(before + 3, await api.EventCount(Tenant)); // CaseImported twice, GmcComplaintLinked once
        var references = (await CasesOf(_tenant)).Select(v => v["caseReference"]!.GetValue<string>()).Order().ToArray();
        Assert.Equal(present.Concat(fresh).Select(r => r.Split(',')[0]).Order(), references);
    }

    [Fact]
    public async Task the_same_case_ref_in_two_tenants_makes_two_separate_cases_each_seen_only_by_its_tenant()
    {
        var other = ApiFixture.NewTenant();
        var reference = Ref();

        var mine = await Admin.ImportOk(Row(reference, "2008-01-01", specialty: "psychiatry"));
        var theirs = await api.As(other.TenantAdmin()).ImportOk(Row(reference, "2008-01-01", specialty: "surgery"));

        Assert.Equal(1, mine["imported"]!.GetValue<int>());
        Assert.Equal(1, theirs["imported"]!.GetValue<int>());
        var myCase = Assert.Single(await CasesOf(_tenant));
        var theirCase = Assert.Single(await CasesOf(other));
        Assert.Equal("psychiatry", myCase["specialty"]!.GetValue<string>());
        Assert.Equal("surgery", theirCase["specialty"]!.GetValue<string>());
        Assert.NotEqual(myCase["id"]!.GetValue<Guid>(), theirCase["id"]!.GetValue<Guid>());
        await (await api.As(_tenant.Adviser()).GetAsync($"/api/cases/{theirCase["id"]}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await api.As(other.Adviser()).GetAsync($"/api/cases/{myCase["id"]}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_file_with_bad_rows_imports_none_of_it_and_lists_every_bad_row_by_line()
    {
        var before = await api.EventCount(Tenant);
        var csv = string.Join('\n',
            Header,
            Row(Ref(), "2008-01-01"),
            Row(Ref(), "2008-13-01"),
            Row(Ref(), "2008-01-03", specialty: "cardiology"),
            Row(Ref(), "2008-01-04"),
            Row(Ref(), "2008-01-05", withdrawnOn: "2008-02-01"),
            Row(Ref(), "2008-01-06", channels: "facebook|pigeon"),
            Row("", "2008-01-07"),
            Row(Ref(), "2008-01-08", outcome: "Outcome without a closing date."));

        var response = await Admin.Import(csv);

        await response.ShouldHave(HttpStatusCode.OK);
        var body = await response.Body();
        Assert.Equal(0, body["imported"]!.GetValue<int>());
        var lines = body["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<long>()).Distinct().Order().ToArray();
        Assert.Equal([3L, 4, 6, 7, 8, 9], lines);
        Assert.All(body["errors"]!.AsArray(), e => Assert.False(string.IsNullOrWhiteSpace(e!["message"]!.GetValue<string>())));
        Assert.Equal(before, await api.EventCount(Tenant));
    }

    [Fact]
    public async Task a_case_ref_repeated_within_the_file_is_a_bad_row()
    {
        var reference = Ref();

        var body = await (await Admin.Import(string.Join('\n', Header, Row(reference, "2008-01-01"), Row(reference, "2008-01-02")))).Body();

        Assert.Equal(0, body["imported"]!.GetValue<int>());
        Assert.Equal(3, Assert.Single(body["errors"]!.AsArray())!["line"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("case_ref,occurred_on,specialty\nX,2008-01-01,surgery", "Missing required column")]
    [InlineData("case_ref,occurred_on,specialty,channels,concern,summary,colour\nX,2008-01-01,surgery,letter,other,s,red", "Unknown column")]
    public async Task a_file_without_the_right_header_is_refused_at_line_1(string csv, string message)
    {
        var body = await (await Admin.Import(csv)).Body();

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(1, error["line"]!.GetValue<long>());
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.Equal(0, body["imported"]!.GetValue<int>());
    }

    [Fact]
    public async Task an_import_that_is_not_csv_is_a_415_problem()
    {
        var response = await Admin.PostAsync("/api/imports/cases", new StringContent("{}", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    /// <summary>Every case view of a tenant, as its adviser reads them.</summary>
    async Task<List<JsonNode>> CasesOf(TestTenant tenant)
    {
        var adviser = api.As(tenant.Adviser());
        var list = await (await adviser.GetAsync("/api/cases?pageSize=100")).Body();
        Assert.True(list["total"]!.GetValue<long>() <= 100, "more cases than one page");
        var views = new List<JsonNode>();
        foreach (var item in list["items"]!.AsArray()) views.Add(await adviser.GetCase(item!["id"]!.GetValue<Guid>()));
        return views;
    }
}
