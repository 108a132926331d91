using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Defence.Api.Tests.Deployment;
using Defence.Api.Tests.Infrastructure;
using Xunit.Abstractions;
using static Defence.Api.Tests.Trends.TrendsTestKit;

namespace Defence.Api.Tests.Faults;

/// <summary>
/// The API process is killed with SIGKILL (no shutdown of any kind) in the middle of work, then started again on
/// the same database: nothing acknowledged may be lost and nothing may be counted twice.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CrashTests(ApiFixture api, ITestOutputHelper output)
{
    const string ProgressSql = "select coalesce((select last_seq_id from defence.mt_event_progression where name = 'Trends:All'), 0)";
    const string HighWaterSql = "select coalesce(max(seq_id), 0) from defence.mt_events";
    const string CellsSql = "select * from defence.trend_cells order by tenant_id, grain, period, specialty, concern";

    [Fact]
    public async Task killed_while_the_trend_projection_works_through_a_backlog_the_figures_after_restart_equal_a_full_rebuild()
    {
        var database = await api.NewDatabaseAsync("projection");
        var settings = RunningApi.SettingsFor(database);
        var environment = ApiProcess.AsEnvironment(settings);

        // A backlog: cases with GMC complaints and withdrawals, imported by the operator command with no API running.
        const int cases = 16_000;
        var day = new DateOnly(2001, 1, 1);
        var file = Path.Combine(Path.GetTempPath(), $"defence-backlog-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, [Header, .. Enumerable.Range(0, cases).Select(i => Row($"B-{i}", $"{day.AddDays(i % 3000):yyyy-MM-dd}",
            i % 3 == 0 ? "psychiatry" : "general-practice", i % 2 == 0 ? "facebook|letter" : "text-message",
            gmcReference: i % 4 == 0 ? "G" : "", gmcReceivedOn: i % 4 == 0 ? $"{day.AddDays(i % 3000 + 5):yyyy-MM-dd}" : "",
            withdrawnOn: i % 8 == 0 ? $"{day.AddDays(i % 3000 + 9):yyyy-MM-dd}" : ""))]);
        try
        {
            var import = await ApiProcess.RunAsync(["import", file, "--tenant", ApiFixture.Mdu], environment, TimeSpan.FromMinutes(5));
            Assert.True(import.ExitCode == 0, import.All);
        }
        finally { File.Delete(file); }
        var highWater = await FaultKit.ScalarAsync<long>(database, HighWaterSql);
        output.WriteLine($"Backlog: {cases:N0} cases, {highWater:N0} events; projection at {await FaultKit.ScalarAsync<long>(database, ProgressSql)}.");

        // Kill the API once the projection has moved but not finished; then let a second process finish.
        var killedAt = new List<long>();
        for (var crash = 0; crash < 1; crash++)
        {
            await using var process = await RunningApi.StartAsync(settings);
            var from = await FaultKit.ScalarAsync<long>(database, ProgressSql);
            long seen = from;
            var moved = await Eventually.TrueAsync(async () =>
            {
                seen = await FaultKit.ScalarAsync<long>(database, ProgressSql);
                return seen > from || seen >= highWater;
            }, TimeSpan.FromSeconds(120), every: TimeSpan.FromMilliseconds(20));
            Assert.True(moved, $"The projection did not move from {from}:\n{process.Output}");
            if (seen >= highWater)
            {
                output.WriteLine($"Crash {crash + 1}: the projection finished before it could be killed.");
                break;
            }
            process.Kill();
            killedAt.Add(seen);
            output.WriteLine($"Crash {crash + 1}: SIGKILL with the projection at {seen:N0} of {highWater:N0} events.");
        }
        Assert.NotEmpty(killedAt);

        await using (var last = await RunningApi.StartAsync(settings))
        {
            Assert.True(await Eventually.TrueAsync(async () => await FaultKit.ScalarAsync<long>(database, ProgressSql) >= highWater,
                TimeSpan.FromSeconds(180)), $"The projection did not catch up after the restart:\n{last.Output}");
        }
        var projected = await FaultKit.RowsAsync(database, CellsSql);

        var rebuild = await ApiProcess.RunAsync(["rebuild-trends"], environment, TimeSpan.FromMinutes(5));
        Assert.True(rebuild.ExitCode == 0, rebuild.All);
        var rebuilt = await FaultKit.RowsAsync(database, CellsSql);

        var differing = projected.Except(rebuilt).Concat(rebuilt.Except(projected)).ToList();
        output.WriteLine($"{projected.Count:N0} cells after the crashes, {rebuilt.Count:N0} from a full rebuild, {differing.Count} differing.");
        Assert.True(differing.Count == 0, "Cells differ from a rebuild (projected first):\n" + string.Join("\n", differing.Take(20)));
        Assert.Equal(cases, await FaultKit.ScalarAsync<long>(database,
            "select sum(cases) from defence.trend_cells where grain = 'y' and concern = '*' and tenant_id = @t", ("t", ApiFixture.Mdu)));
    }

    sealed record Sent(HttpClient Member, string Key, int Status, Guid? CaseId);

    [Fact]
    public async Task killed_while_reports_are_committed_in_groups_every_201_is_stored_and_a_retried_key_finds_its_case()
    {
        var database = await api.NewDatabaseAsync("grouped");
        var settings = RunningApi.SettingsFor(database);
        var run = Guid.NewGuid().ToString("N")[..12];
        const int senders = 16;

        var sent = new ConcurrentQueue<Sent>();
        var failures = new ConcurrentQueue<string>();
        await using (var process = await RunningApi.StartAsync(settings))
        {
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, senders).Select(w => Task.Run(async () =>
            {
                var member = process.Client(TestUser.Member(), TimeSpan.FromSeconds(30));
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var key = $"Crash report {run} {w}-{n}";
                    try
                    {
                        using var response = await FaultKit.SendReportAsync(member, key);
                        sent.Enqueue(new Sent(member, key, (int)response.StatusCode,
                            response.StatusCode == HttpStatusCode.Created ? (await response.Body())["caseId"]!.GetValue<Guid>() : null));
                    }
                    catch (Exception e)
                    {
                        sent.Enqueue(new Sent(member, key, 0, null));
                        failures.Enqueue(e.GetType().Name);
                        if (process.HasExited) return;
                    }
                }
            })).ToList();

            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sent.Count(s => s.Status == 201) >= 300), TimeSpan.FromSeconds(120)),
                $"Too few reports were acknowledged: {sent.Count(s => s.Status == 201)}\n{process.Output}");
            process.Kill();
            Assert.True(process.HasExited);
            // Nothing answers there any more: the reports were all sent to the process that was killed.
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => process.Client().GetAsync("/health/live"));
            stop.Cancel();
            await Task.WhenAll(workers);
            output.WriteLine($"Failures: {string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Key} x{g.Count()}"))}");
        }

        var all = sent.ToList();
        var tally = new Tally();
        foreach (var s in all) tally.Count(s.Status == 0 ? "no answer (killed)" : s.Status.ToString());
        output.WriteLine($"Before the crash: {all.Count} reports sent by {senders} members: {tally}.");
        Assert.All(all, s => Assert.True(s.Status is 0 or 201, $"{s.Key} answered {s.Status}"));
        Assert.Contains(all, s => s.Status == 0);

        var acknowledged = all.Where(s => s.Status == 201).ToList();
        var storedIds = (await FaultKit.RowsAsync(database, "select id from defence.mt_streams where tenant_id = @t", ("t", ApiFixture.Mdu)))
            .Select(Guid.Parse).ToHashSet();
        var lost = acknowledged.Where(s => !storedIds.Contains(s.CaseId!.Value)).ToList();
        output.WriteLine($"After the crash: {acknowledged.Count} acknowledged, {storedIds.Count} cases stored, {lost.Count} acknowledged but lost, " +
                         $"{storedIds.Count - acknowledged.Count} stored though unanswered.");
        Assert.Empty(lost);

        // Restarted, every report is sent again with its key: an acknowledged one finds its case, the rest get one each.
        await using (var restarted = await RunningApi.StartAsync(settings))
        {
            var retried = new Tally();
            foreach (var s in all)
            {
                var member = new HttpClient { BaseAddress = restarted.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
                member.DefaultRequestHeaders.Authorization = s.Member.DefaultRequestHeaders.Authorization;
                using var response = await FaultKit.SendReportAsync(member, s.Key);
                retried.Count(response.StatusCode);
                await response.ShouldHave(HttpStatusCode.Created);
                var caseId = (await response.Body())["caseId"]!.GetValue<Guid>();
                if (s.CaseId is { } first)
                {
                    Assert.Equal(first, caseId);
                    Assert.Equal("true", response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) ? replayed.Single() : null);
                }
            }
            output.WriteLine($"Retried all {all.Count} keys after the restart: {retried}.");
        }
        var stored = await FaultKit.ReportsBySummaryAsync(database, ApiFixture.Mdu, $"Crash report {run}");
        output.WriteLine($"Finally {stored.Count} reports stored for {all.Count} keys; {stored.Count(s => s.Value != 1)} doubled.");
        Assert.Equal(all.Select(s => s.Key).Order(), stored.Keys.Order());
        Assert.All(stored, s => Assert.Equal(1, s.Value));
    }
}
