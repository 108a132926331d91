using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Defence.Api.Hosting;
using Defence.Api.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Defence.Api.Tests.Faults;

/// <summary>
/// The database goes out of reach of a running API process (a TCP relay between them is cut, dropping every open
/// connection and refusing new ones) while members report and advisers give advice, then comes back. Calls during
/// the outage must answer 503 with Retry-After within seconds, the process must recover without a restart, and the
/// store must hold exactly what was acknowledged: every 201 and 200, and nothing that failed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DatabaseOutageTests(ApiFixture api, ITestOutputHelper output)
{
    /// <summary>How long a call may take to be answered while the database is out of reach ("within a few seconds"; the machine is shared and busy).</summary>
    static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(8);

    const int ReportWorkers = 4, CommandWorkers = 2;

    sealed record Call(string Kind, string Key, DateTime Started, TimeSpan Took, int Status, string? RetryAfter, string Body, string? MediaType, List<string> Leaks)
    {
        /// <summary>A 503 problem's <c>saved</c>: "false" (nothing was saved) or "unknown" (the commit was cut).</summary>
        public string? Saved => Status == 503 && System.Text.Json.Nodes.JsonNode.Parse(Body)?["saved"] is { } saved ? saved.ToJsonString().Trim('"') : null;

        /// <summary>The member who sent a report (its key names them), so a retry comes from the same member.</summary>
        public HttpClient? Member { get; init; }
    }

    /// <summary>A report whose summary is also its Idempotency-Key, as a client that retries safely sends it.</summary>
    static Task<HttpResponseMessage> SendReport(HttpClient member, string summary)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(summary: summary)) };
        request.Headers.Add("Idempotency-Key", summary);
        return member.SendAsync(request);
    }

    [Fact]
    public async Task calls_during_an_outage_answer_503_with_retry_after_within_seconds_and_the_store_holds_exactly_what_was_acknowledged()
    {
        var direct = await api.NewDatabaseAsync("outage");
        var throughProxy = new NpgsqlConnectionStringBuilder(direct);
        using var proxy = new TcpProxy(throughProxy.Host!, throughProxy.Port);
        throughProxy.Host = "127.0.0.1";
        throughProxy.Port = proxy.Port;
        await using var process = await RunningApi.StartAsync(RunningApi.SettingsFor(throughProxy.ConnectionString));

        var run = Guid.NewGuid().ToString("N")[..12];
        var summaryPrefix = $"Outage report {run}";
        var adviser = process.Client(TestUser.Adviser());
        var anonymous = process.Client(timeout: TimeSpan.FromSeconds(30));
        var commandCases = new List<Guid>();
        for (var i = 0; i < CommandWorkers; i++) commandCases.Add(await process.Client(TestUser.Member()).ReportCase());

        var calls = new ConcurrentQueue<Call>();
        using var stop = new CancellationTokenSource();
        var workers = new List<Task>();
        for (var w = 0; w < ReportWorkers; w++)
        {
            var member = process.Client(TestUser.Member());
            var worker = w;
            workers.Add(Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var summary = $"{summaryPrefix} {worker}-{n}";
                    calls.Enqueue(await TimedAsync("report", summary, () => SendReport(member, summary)) with { Member = member });
                }
            }));
        }
        for (var w = 0; w < CommandWorkers; w++)
        {
            var caseId = commandCases[w];
            workers.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                    calls.Enqueue(await TimedAsync("advice", caseId.ToString(), () => adviser.Command(caseId, "advice",
                        new { advice = $"Outage advice {run}", actions = new[] { "keep-contact-log" } })));
            }));
        }

        bool Succeeded(Call c, DateTime after) => c.Started >= after && c.Status is 200 or 201;
        var started = DateTime.UtcNow;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(
                calls.Count(c => c.Kind == "report" && Succeeded(c, started)) >= 10 && calls.Count(c => c.Kind == "advice" && Succeeded(c, started)) >= 5),
            TimeSpan.FromSeconds(90)), $"The load did not get going: {Summary(calls)}");

        // ---- the outage ----
        proxy.Cut();
        var cutAt = DateTime.UtcNow;
        var readyClock = Stopwatch.StartNew();
        var ready = await anonymous.GetAsync(Readiness.ReadyPath);
        readyClock.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(readyClock.Elapsed < AnswerWithin, $"/health/ready took {readyClock.Elapsed} to answer during the outage.");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(
                calls.Count(c => c.Started >= cutAt && c.Kind == "report") >= 20 && calls.Count(c => c.Started >= cutAt && c.Kind == "advice") >= 10),
            TimeSpan.FromSeconds(60)), $"Too few calls were answered during the outage: {Summary(calls.Where(c => c.Started >= cutAt))}");
        var live = await anonymous.GetAsync(Readiness.LivePath);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // ---- the database returns ----
        proxy.Restore();
        var restoredAt = DateTime.UtcNow;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(
                calls.Count(c => c.Kind == "report" && Succeeded(c, restoredAt)) >= 10 && calls.Count(c => c.Kind == "advice" && Succeeded(c, restoredAt)) >= 5),
            TimeSpan.FromSeconds(90)), $"The API did not recover without a restart: {Summary(calls.Where(c => c.Started >= restoredAt))}\n{process.Output}");
        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.True(await Eventually.TrueAsync(async () => (await anonymous.GetAsync(Readiness.ReadyPath)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(90)),
            "/health/ready did not recover after the database came back.");

        var all = calls.ToList();
        var during = all.Where(c => c.Started >= cutAt && c.Started + c.Took < restoredAt).ToList();
        output.WriteLine($"All {all.Count} calls: {Summary(all)}");
        output.WriteLine($"Started and answered during the outage ({during.Count}): {Summary(during)}; slowest {during.Max(c => c.Took).TotalMilliseconds:N0} ms.");

        // Every call during the outage: a prompt 503 problem with Retry-After, showing nothing of the server's insides.
        var wrong = during.Where(c => c.Status != 503 || c.RetryAfter is null || c.Took > AnswerWithin || c.MediaType != "application/problem+json").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} calls during the outage were not a prompt 503 problem with Retry-After:\n" +
            string.Join("\n", wrong.Take(20).Select(c => $"{c.Kind} {c.Status} after {c.Took.TotalMilliseconds:N0} ms, Retry-After {c.RetryAfter ?? "none"}: {c.Body}")));
        // Whatever the timing: no other 5xx, no hang (a client timeout or a dropped connection counts as status 0), no leaks.
        var failed = all.Where(c => c.Status is 0 or (>= 500 and not 503)).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} calls failed otherwise:\n" + string.Join("\n", failed.Take(20).Select(c => $"{c.Kind} {c.Status}: {c.Body}")) + "\nThe API's log of failures:\n" + Failures(process.Output));
        var leaking = all.Where(c => c.Leaks.Count > 0).ToList();
        Assert.True(leaking.Count == 0, "Answers leak: " + string.Join("\n", leaking.Take(10).Select(c => $"{c.Status}: {string.Join("; ", c.Leaks)}")));
        var unexpected = all.Where(c => c.Status is not (200 or 201 or 503)).ToList();
        Assert.True(unexpected.Count == 0, "Unexpected answers: " + string.Join("\n", unexpected.Take(10).Select(c => $"{c.Kind} {c.Status}: {c.Body}")));

        // The store holds every acknowledged report once, and no report whose 503 said nothing was saved. A 503 for a
        // commit whose connection was lost says the outcome is unknown (no one can know it while the database is away):
        // those may be stored or not, and the client's retry with the same Idempotency-Key settles each exactly once.
        var stored = await FaultKit.ReportsBySummaryAsync(direct, ApiFixture.Mdu, summaryPrefix);
        var reports = all.Where(c => c.Kind == "report").ToList();
        var acknowledged = reports.Where(c => c.Status == 201).Select(c => c.Key).ToHashSet();
        var notSaved = reports.Where(c => c.Status == 503 && c.Saved == "false").Select(c => c.Key).ToHashSet();
        var unknown = reports.Where(c => c.Status == 503 && c.Saved == "unknown").Select(c => c.Key).ToHashSet();
        var lost = acknowledged.Where(s => !stored.ContainsKey(s)).ToList();
        var doubled = stored.Where(s => s.Value != 1).ToList();
        var storedThoughRefused = notSaved.Where(stored.ContainsKey).ToList();
        output.WriteLine($"Reports: {reports.Count} sent, {acknowledged.Count} acknowledged (201), {notSaved.Count} refused as not saved (503), " +
                         $"{unknown.Count} with an unknown outcome (503, commit cut), {stored.Count} stored; {lost.Count} lost, {doubled.Count} doubled, " +
                         $"{storedThoughRefused.Count} stored though refused, {unknown.Count(stored.ContainsKey)} of the unknown stored.");
        Assert.Equal(reports.Count, acknowledged.Count + notSaved.Count + unknown.Count);
        Assert.Empty(lost);
        Assert.Empty(doubled);
        Assert.Empty(storedThoughRefused);
        var unexplained = stored.Keys.Where(s => !acknowledged.Contains(s) && !unknown.Contains(s)).ToList();
        Assert.True(unexplained.Count == 0, $"Stored though never acknowledged nor cut at commit: {string.Join(", ", unexplained)}");

        // Retrying every report that was not acknowledged, with its key, gives each exactly one case.
        var retried = new Tally();
        foreach (var call in reports.Where(c => c.Status != 201))
        {
            var retry = await SendReport(call.Member!, call.Key);
            retried.Count(retry.StatusCode);
            await retry.ShouldHave(HttpStatusCode.Created);
        }
        var afterRetries = await FaultKit.ReportsBySummaryAsync(direct, ApiFixture.Mdu, summaryPrefix);
        output.WriteLine($"Retried {reports.Count(c => c.Status != 201)} unacknowledged reports with their keys: {retried}; now {afterRetries.Count} stored.");
        Assert.Equal(reports.Select(c => c.Key).Order(), afterRetries.Keys.Order());
        Assert.All(afterRetries, s => Assert.Equal(1, s.Value));

        // Each command case has one advice event per 200, plus at most the commands whose commit was cut.
        foreach (var caseId in commandCases)
        {
            var ok = all.Count(c => c.Kind == "advice" && c.Key == caseId.ToString() && c.Status == 200);
            var maybe = all.Count(c => c.Kind == "advice" && c.Key == caseId.ToString() && c.Status == 503 && c.Saved == "unknown");
            var events = await FaultKit.ScalarAsync<long>(direct, "select count(*) from defence.mt_events where stream_id = @id", ("id", caseId));
            output.WriteLine($"Case {caseId}: {ok} advice acknowledged, {maybe} with an unknown outcome, {events} events stored (1 report + advice).");
            Assert.InRange(events, 1 + ok, 1 + ok + maybe);
        }

        // The trend projection moves again: it catches up with every event, the ones written after the outage included.
        Assert.True(await Eventually.TrueAsync(async () =>
                await FaultKit.ScalarAsync<long>(direct, "select coalesce((select last_seq_id from defence.mt_event_progression where name = 'Trends:All'), 0)") >=
                await FaultKit.ScalarAsync<long>(direct, "select coalesce(max(seq_id), 0) from defence.mt_events"),
            TimeSpan.FromSeconds(120)), "The trend projection did not catch up after the outage.");

        // The process logged no report text, even while failing.
        Assert.DoesNotContain(summaryPrefix, process.Output);
        Assert.DoesNotContain($"Outage advice {run}", process.Output);
    }

    static async Task<Call> TimedAsync(string kind, string key, Func<Task<HttpResponseMessage>> send)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            clock.Stop();
            return new Call(kind, key, started, clock.Elapsed, (int)response.StatusCode,
                response.Headers.RetryAfter?.ToString(), body, response.Content.Headers.ContentType?.MediaType, FaultKit.Leaks(response, body));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Call(kind, key, started, clock.Elapsed, 0, null, e.GetType().Name + ": " + e.Message, null, []);
        }
    }

    /// <summary>The API's log entries about failures (type chains and stacks only: it never logs messages), for a failure's explanation.</summary>
    static string Failures(string log)
    {
        var lines = log.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains("Unhandled failure"));
        return start < 0 ? "(none logged)" : string.Join('\n', lines.Skip(Math.Max(0, start - 1)).Take(60));
    }

    static string Summary(IEnumerable<Call> calls) =>
        string.Join(", ", calls.GroupBy(c => (c.Kind, c.Status)).OrderBy(g => g.Key).Select(g => $"{g.Key.Kind} {g.Key.Status} x{g.Count()}"));
}
