using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Defence.Api.Tests.Deployment;
using Defence.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Defence.Api.Tests.Faults;

/// <summary>
/// Two API processes on one database, as two replicas of a deployment: both take reports, Wolverine runs the trend
/// projection on one of them, and when that one is killed with SIGKILL the survivor takes the projection over.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReplicaTests(ApiFixture api, ITestOutputHelper output)
{
    const string TrendsAgent = "event-subscriptions://%/trends/all";
    const string OwnerSql = "select n.node_number from defence.wolverine_node_assignments a join defence.wolverine_nodes n on n.id = a.node_id where a.id like @agent";
    const string ProgressSql = "select coalesce((select last_seq_id from defence.mt_event_progression where name = 'Trends:All'), 0)";
    const string HighWaterSql = "select coalesce(max(seq_id), 0) from defence.mt_events";
    const string CellsSql = "select * from defence.trend_cells order by tenant_id, grain, period, specialty, concern";
    const string TotalSql = "select coalesce(sum(cases), 0)::bigint from defence.trend_cells where grain = 'y' and concern = '*' and tenant_id = @t";
    static readonly string[] Specialties = ["general-practice", "psychiatry", "obstetrics-gynaecology", "emergency-medicine"];

    sealed record Sent(TestUser Member, string Key, int Status, Guid? CaseId);

    [Fact]
    public async Task two_replicas_share_the_reports_and_when_the_one_running_the_trend_projection_is_killed_the_other_carries_it_on()
    {
        var database = await api.NewDatabaseAsync("replicas");
        var settings = RunningApi.SettingsFor(database);
        var run = Guid.NewGuid().ToString("N")[..12];

        // The first replica starts alone and so takes the projection (Wolverine node 1); the second joins as node 2.
        await using var first = await RunningApi.StartAsync(settings);
        Assert.True(await Eventually.TrueAsync(async () => await OwnerAsync(database) == 1, TimeSpan.FromSeconds(120)),
            $"The first replica never took the trend projection:\n{first.Output}");
        await using var second = await RunningApi.StartAsync(settings);
        Assert.True(await Eventually.TrueAsync(async () =>
                await FaultKit.ScalarAsync<long>(database, "select count(*) from defence.wolverine_nodes") == 2, TimeSpan.FromSeconds(120)),
            $"The second replica never joined:\n{second.Output}");
        var replicas = new[] { first, second };

        var sent = new ConcurrentQueue<Sent>();
        var killed = 0;
        using var stop = new CancellationTokenSource();
        // Each sender is a member of its own and alternates between the replicas, as a load balancer would send them;
        // once the owner of the projection is killed, the survivor gets everything.
        var senders = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var member = TestUser.Member();
            var clients = replicas.Select(r => r.Client(member, TimeSpan.FromSeconds(30))).ToArray();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"Replica report {run} {w}-{n}";
                var target = Volatile.Read(ref killed) == 0 ? n % 2 : 1;
                try
                {
                    using var response = await FaultKit.SendReportAsync(clients[target], key, Specialties[n % Specialties.Length]);
                    sent.Enqueue(new Sent(member, key, (int)response.StatusCode,
                        response.StatusCode == HttpStatusCode.Created ? (await response.Body())["caseId"]!.GetValue<Guid>() : null));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    sent.Enqueue(new Sent(member, key, 0, null));
                }
                // Paced, so the minute the survivor takes to notice the other is gone is not spent saturating the machine.
                await Task.Delay(20);
            }
        })).ToList();

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sent.Count(s => s.Status == 201) >= 400), TimeSpan.FromSeconds(180)),
            $"Too few reports were acknowledged before the kill: {sent.Count(s => s.Status == 201)}");
        Assert.Equal(1, await OwnerAsync(database));
        var progressAtKill = await FaultKit.ScalarAsync<long>(database, ProgressSql);
        first.Kill();
        Volatile.Write(ref killed, 1);
        var acknowledgedAtKill = sent.Count(s => s.Status == 201);
        output.WriteLine($"SIGKILL to the replica running the projection after {acknowledgedAtKill} acknowledged reports; projection at event {progressAtKill:N0}.");

        // The survivor keeps taking reports while it notices the other is gone and takes the projection over.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var takenOver = await Eventually.TrueAsync(async () => await OwnerAsync(database) == 2, TimeSpan.FromSeconds(240), every: TimeSpan.FromSeconds(1));
        Assert.True(takenOver, $"The survivor never took the trend projection over:\n{second.Output}");
        output.WriteLine($"The survivor took the projection over {clock.Elapsed.TotalSeconds:N0} s after the kill.");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sent.Count(s => s.Status == 201) >= acknowledgedAtKill + 200), TimeSpan.FromSeconds(120)),
            $"The survivor did not keep taking reports:\n{second.Output}");
        stop.Cancel();
        await Task.WhenAll(senders);

        var all = sent.ToList();
        var tally = new Tally();
        foreach (var s in all) tally.Count(s.Status == 0 ? "no answer (killed)" : s.Status.ToString());
        output.WriteLine($"{all.Count} reports sent by 8 members: {tally}.");
        Assert.All(all, s => Assert.True(s.Status is 0 or 201, $"{s.Key} answered {s.Status}"));

        // A report the killed replica never answered may or may not have been stored: its sender retries the key on the
        // survivor, which finds the stored case or stores it now. Then every key has been accepted exactly once.
        var survivor = second;
        foreach (var unanswered in all.Where(s => s.Status == 0))
        {
            using var response = await FaultKit.SendReportAsync(survivor.Client(unanswered.Member), unanswered.Key, Specialties[0]);
            await response.ShouldHave(HttpStatusCode.Created);
        }
        var accepted = all.Count;
        var stored = await FaultKit.ReportsBySummaryAsync(database, ApiFixture.Mdu, $"Replica report {run}");
        Assert.Equal(accepted, stored.Count);
        Assert.All(stored, s => Assert.Equal(1, s.Value));

        // The projection, now on the survivor alone, reaches every event and counts each accepted report once.
        var highWater = await FaultKit.ScalarAsync<long>(database, HighWaterSql);
        Assert.True(await Eventually.TrueAsync(async () => await FaultKit.ScalarAsync<long>(database, ProgressSql) >= highWater, TimeSpan.FromSeconds(120)),
            $"The projection did not reach event {highWater} on the survivor:\n{survivor.Output}");
        Assert.True(highWater > progressAtKill, "no events were written after the kill");
        Assert.Equal(accepted, await FaultKit.ScalarAsync<long>(database, TotalSql, ("t", ApiFixture.Mdu)));
        var projected = await FaultKit.RowsAsync(database, CellsSql);

        // The analyst's answer through the survivor says the same.
        var analyst = survivor.Client(TestUser.Analyst());
        var trends = await analyst.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>("/api/trends?by=specialty&from=2026-01-01&to=2026-12-31");
        Assert.Equal(accepted, trends!["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()));

        var rebuild = await ApiProcess.RunAsync(["rebuild-trends"], ApiProcess.AsEnvironment(settings), TimeSpan.FromMinutes(5));
        Assert.True(rebuild.ExitCode == 0, rebuild.All);
        var rebuilt = await FaultKit.RowsAsync(database, CellsSql);
        var differing = projected.Except(rebuilt).Concat(rebuilt.Except(projected)).ToList();
        output.WriteLine($"{accepted} reports accepted, {projected.Count} cells projected, {rebuilt.Count} rebuilt, {differing.Count} differing.");
        Assert.True(differing.Count == 0, "Cells differ from a rebuild (projected first):\n" + string.Join("\n", differing.Take(20)));
    }

    /// <summary>The Wolverine node number of the replica running the trend projection; 0 while none does.</summary>
    static async Task<int> OwnerAsync(string database) =>
        (await FaultKit.RowsAsync(database, OwnerSql, ("agent", TrendsAgent))).Select(int.Parse).SingleOrDefault();
}
