using System.Net;
using System.Text;
using Defence.Api.Tests.Infrastructure;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Trends;

[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFixture api)
{
    const string Tenant = "imports";
    readonly HttpClient _admin = api.As(Admin(Tenant));

    static string Ref() => $"I-{Guid.NewGuid():N}";

    [Fact]
    public async Task an_import_creates_cases_that_replay_their_history_with_original_dates()
    {
        var reference = Ref();
        var result = await _admin.ImportOk(Row(reference, "2009-03-02", "general-practice", "facebook|letter|gift",
            gmcReference: "GMC-77", gmcReceivedOn: "2009-05-01", withdrawnOn: "2009-11-01", closedOn: "2009-12-01", outcome: "Withdrawn as fabricated."));

        Assert.Equal(1, result["imported"]!.GetValue<int>());
        Assert.Equal(0, result["skipped"]!.GetValue<int>());
        var list = await (await api.As(TestUser.Adviser(ApiFixture.CountingTenants[Tenant])).GetAsync("/api/cases?status=closed&pageSize=100")).Body();
        var caseId = list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToArray();
        var views = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var id in caseId) views.Add(await api.As(TestUser.Adviser(ApiFixture.CountingTenants[Tenant])).GetCase(id));
        var view = Assert.Single(views, v => v["caseReference"]?.GetValue<string>() == reference);

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
        await _admin.ImportOk(rows);
        var before = await api.EventCount(Tenant);

        var again = await _admin.ImportOk(rows);

        Assert.Equal(0, again["imported"]!.GetValue<int>());
        Assert.Equal(2, again["skipped"]!.GetValue<int>());
        Assert.Equal(before, await api.EventCount(Tenant));
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

        var response = await _admin.Import(csv);

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

        var body = await (await _admin.Import(string.Join('\n', Header, Row(reference, "2008-01-01"), Row(reference, "2008-01-02")))).Body();

        Assert.Equal(0, body["imported"]!.GetValue<int>());
        Assert.Equal(3, Assert.Single(body["errors"]!.AsArray())!["line"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("case_ref,occurred_on,specialty\nX,2008-01-01,surgery", "Missing required column")]
    [InlineData("case_ref,occurred_on,specialty,channels,concern,summary,colour\nX,2008-01-01,surgery,letter,other,s,red", "Unknown column")]
    public async Task a_file_without_the_right_header_is_refused_at_line_1(string csv, string message)
    {
        var body = await (await _admin.Import(csv)).Body();

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(1, error["line"]!.GetValue<long>());
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.Equal(0, body["imported"]!.GetValue<int>());
    }

    [Fact]
    public async Task an_import_that_is_not_csv_is_a_415_problem()
    {
        var response = await _admin.PostAsync("/api/imports/cases", new StringContent("{}", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }
}
