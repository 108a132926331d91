using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Faults;
using Defence.Api.Tests.Infrastructure;
using Xunit.Abstractions;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Deployment;

/// <summary>
/// A large MDO on a database of its own (<c>Tenants:&lt;key&gt;:ConnectionString</c>) beside tenants sharing the main
/// database, in one API process: every feature works for both kinds of tenant, and each tenant's rows are only ever in
/// its own database.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TenantDatabaseTests(ApiFixture api, ITestOutputHelper output)
{
    const string Own = "big";
    static readonly string OwnTid = Guid.NewGuid().ToString();
    const string CellsSql = "select * from defence.trend_cells order by tenant_id, grain, period, specialty, concern";

    sealed record Tenant(string Key, string Tid, string Database);

    [Fact]
    public async Task a_tenant_on_its_own_database_and_tenants_on_the_shared_one_each_report_read_command_import_erase_and_count_trends_apart()
    {
        var shared = await api.NewDatabaseAsync("shared");
        var own = await api.NewDatabaseAsync("own");
        var settings = RunningApi.SettingsFor(shared, ($"Tenants:{Own}:EntraTenantIds:0", OwnTid), ($"Tenants:{Own}:ConnectionString", own));
        var environment = ApiProcess.AsEnvironment(settings);
        Tenant[] tenants = [new(ApiFixture.Mdu, ApiFixture.MduTid, shared), new(Own, OwnTid, own)];

        await using var process = await RunningApi.StartAsync(settings);
        var caseOf = new Dictionary<string, Guid>();
        foreach (var tenant in tenants)
        {
            var member = process.Client(TestUser.Member(tenant.Tid));
            var adviser = process.Client(TestUser.Adviser(tenant.Tid));
            var admin = process.Client(TestUser.TenantAdmin(tenant.Tid));

            var caseId = caseOf[tenant.Key] = await member.ReportCase(CaseApi.Report(occurredOn: "2025-03-01"));
            await (await adviser.Command(caseId, "advice", new { advice = "Keep a record and do not reply.", actions = new[] { "keep-contact-log" } }, ifMatch: 1))
                .ShouldHave(HttpStatusCode.OK);
            var view = await adviser.GetCase(caseId);
            Assert.Equal(2, view["version"]!.GetValue<long>());

            var imported = await admin.ImportOk(Row($"{tenant.Key}-1", "2025-04-01"), Row($"{tenant.Key}-2", "2025-05-01", specialty: "psychiatry"));
            Assert.Equal(2, imported["imported"]!.GetValue<int>());
        }

        // The operator's import from the command line goes to the tenant's own database too.
        var file = Path.Combine(Path.GetTempPath(), $"defence-own-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, [Header, Row("cli-1", "2025-06-01"), Row("cli-2", "2025-06-02"), Row("cli-3", "2025-06-03")]);
        try
        {
            var import = await ApiProcess.RunAsync(["import", file, "--tenant", Own], environment, TimeSpan.FromMinutes(3));
            Assert.True(import.ExitCode == 0, import.All);
        }
        finally { File.Delete(file); }

        // Each tenant's events are in its database alone, and every one says who wrote it and in which request.
        Assert.Equal([ApiFixture.Mdu], await FaultKit.RowsAsync(shared, "select distinct tenant_id from defence.mt_events"));
        Assert.Equal([Own], await FaultKit.RowsAsync(own, "select distinct tenant_id from defence.mt_events"));
        foreach (var database in new[] { shared, own })
            Assert.Equal(0L, await FaultKit.ScalarAsync<long>(database,
                "select count(*) from defence.mt_events where user_name is null or correlation_id is null"));

        // Isolation: neither tenant's people see the other's case, whichever database it is in.
        foreach (var (tenant, other) in new[] { (tenants[0], tenants[1]), (tenants[1], tenants[0]) })
        {
            var adviser = process.Client(TestUser.Adviser(tenant.Tid));
            var response = await adviser.GetAsync($"/api/cases/{caseOf[other.Key]}");
            await response.ShouldHave(HttpStatusCode.NotFound);
            var list = await (await adviser.GetAsync("/api/cases?pageSize=100")).Body();
            Assert.Equal(tenant.Key == Own ? 6 : 3, list["total"]!.GetValue<long>());
            Assert.DoesNotContain(list["items"]!.AsArray(), c => c!["id"]!.GetValue<Guid>() == caseOf[other.Key]);
        }

        // Trends: each database's projection counts its tenant's cases, and a rebuild of all or of one tenant agrees.
        var expected = new Dictionary<string, long> { [ApiFixture.Mdu] = 3, [Own] = 6 };
        foreach (var tenant in tenants)
        {
            var analyst = process.Client(TestUser.Analyst(tenant.Tid));
            long total = 0;
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                var trends = await analyst.Trends("by=specialty&from=2025-01-01&to=2025-12-31");
                total = trends["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>());
                return total == expected[tenant.Key];
            }, TimeSpan.FromSeconds(120)), $"{tenant.Key}'s trends count {total}, not {expected[tenant.Key]}:\n{process.Output}");
        }
        var projected = new[] { await FaultKit.RowsAsync(shared, CellsSql), await FaultKit.RowsAsync(own, CellsSql) };
        Assert.NotEmpty(projected[0]);
        Assert.NotEmpty(projected[1]);

        foreach (var arguments in new[] { new[] { "rebuild-trends" }, ["rebuild-trends", "--tenant", Own] })
        {
            var rebuild = await ApiProcess.RunAsync(arguments, environment, TimeSpan.FromMinutes(3));
            Assert.True(rebuild.ExitCode == 0, rebuild.All);
            output.WriteLine(rebuild.Output.Trim());
            Assert.Equal(projected[0], await FaultKit.RowsAsync(shared, CellsSql));
            Assert.Equal(projected[1], await FaultKit.RowsAsync(own, CellsSql));
        }

        // Erasure masks the personal text of the member's events in the tenant's own database.
        var erasing = process.Client(TestUser.TenantAdmin(OwnTid));
        var memberId = (await process.Client(TestUser.Adviser(OwnTid)).GetCase(caseOf[Own]))["memberId"]!.GetValue<Guid>();
        var erasure = await erasing.PostAsJsonAsync($"/api/members/{memberId}/erasure", new { reason = "The member asked for erasure." });
        await erasure.ShouldHave(HttpStatusCode.OK);
        Assert.Equal(0L, await FaultKit.ScalarAsync<long>(own,
            "select count(*) from defence.mt_events where stream_id = @id and data->>'summary' like '%friend requests%'", ("id", caseOf[Own])));

        var ready = await process.Client().GetAsync("/health/ready");
        await ready.ShouldHave(HttpStatusCode.OK);
    }
}
