using System.Diagnostics;
using System.Threading.Channels;
using Defence.Api.Auditing;
using Defence.Api.Errors;
using Defence.Api.Hosting;
using JasperFx.Events;
using Marten;

namespace Defence.Api.Cases.Reporting;

/// <summary>
/// Commits new reports in groups: the reports that arrive while a group is being written wait for the next one,
/// and a group is one database transaction, sent in one round trip per tenant (one Marten session per tenant,
/// enlisted in the group's transaction, with its inline case views). Each event is stamped with its own
/// report's user and correlation id, so it is stored exactly as it would be alone; what the reports share is
/// the round trip, the commit and its flush to disk. A report's request is answered only after its group has
/// committed.
/// </summary>
/// <remarks>
/// If any report of a group fails (a racing duplicate of an idempotent report, say), the group's transaction is
/// rolled back and each of its reports is written again on its own, so only the failing one fails. Two writers
/// take groups in turn, because more would make smaller groups and so more commits for the same reports
/// (figures in bench/README.md).
/// </remarks>
public sealed class ReportWriter : IAsyncDisposable
{
    /// <summary>Groups written at the same time, each on its own connection: one writes while the other's commit is flushed.</summary>
    const int Writers = 2;
    /// <summary>Most reports in one group.</summary>
    const int MaxGroup = 64;

    readonly IDocumentStore _store;
    readonly ILogger<ReportWriter> _logger;
    readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4 * MaxGroup * Writers)
    {
        SingleReader = false,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });
    readonly Task[] _writers;

    public ReportWriter(IDocumentStore store, ILogger<ReportWriter> logger)
    {
        _store = store;
        _logger = logger;
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteGroupsAsync)).ToArray();
    }

    /// <summary>What one report writes: a stream started in the given session.</summary>
    public delegate StreamAction Stage(IDocumentSession session);

    /// <param name="Caller">The reporting request's trace, so the group's database work shows in it.</param>
    sealed record Pending(Actor Actor, Stage Stage, ActivityContext Caller)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Writes one report's events in the next group; completes when that group has committed.</summary>
    public async Task WriteAsync(Actor actor, Stage stage, CancellationToken ct)
    {
        var pending = new Pending(actor, stage, Activity.Current?.Context ?? default);
        await _queue.Writer.WriteAsync(pending, ct);
        // Once queued the report is written even if the caller goes away, as a single save would be.
        await pending.Done.Task;
    }

    async Task WriteGroupsAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending)) group.Add(pending);
            if (group.Count == 0) continue;
            // A child of the first report's request, linked to the others': each report's trace reaches the database.
            using var activity = Telemetry.Source.StartActivity("write reports", ActivityKind.Internal, group[0].Caller,
                links: group.Skip(1).Select(p => new ActivityLink(p.Caller)));
            activity?.SetTag("defence.reports", group.Count);
            try
            {
                foreach (var part in await ByDatabaseAsync(group))
                    if (part.Count == 1 || !await TryWriteTogetherAsync(part))
                        foreach (var pending in part) await WriteAloneAsync(pending);
            }
            catch (Exception e)
            {
                // Never leave a request waiting, whatever failed.
                foreach (var pending in group) pending.Done.TrySetException(e);
            }
        }
    }

    /// <summary>A transaction is in one database, so the reports of a tenant with a database of its own are written apart.</summary>
    async Task<IEnumerable<List<Pending>>> ByDatabaseAsync(List<Pending> group)
    {
        var parts = new Dictionary<string, List<Pending>>(StringComparer.Ordinal);
        foreach (var pending in group)
        {
            var database = (await _store.DatabaseOf(pending.Actor.Tenant)).Id.Identity;
            if (!parts.TryGetValue(database, out var part)) parts[database] = part = [];
            part.Add(pending);
        }
        return parts.Values;
    }

    /// <summary>False when a report failed and the group was rolled back (nothing of it written). All in one database.</summary>
    async Task<bool> TryWriteTogetherAsync(List<Pending> group)
    {
        await using var write = await _store.BeginWriteAsync(group[0].Actor.Tenant, _logger, CancellationToken.None);
        try
        {
            // One session per tenant, so each tenant's reports go to the database in one round trip.
            foreach (var tenant in group.GroupBy(p => p.Actor.Tenant))
            {
                // The session is opened for the group's first actor of this tenant; each stream is stamped with its own.
                await using var session = write.SessionFor(tenant.First().Actor);
                foreach (var pending in tenant) pending.Stage(session).StampedBy(pending.Actor);
                await write.SaveAsync(session, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            _logger.LogDebug("A group of {Count} reports failed together ({Failure}); writing each alone", group.Count, SafeLog.Describe(e));
            return false;
        }
        // A failed commit is not retried: whether it took effect is unknown, and writing again could duplicate.
        await write.CommitAsync(CancellationToken.None);
        foreach (var pending in group) pending.Done.TrySetResult();
        return true;
    }

    async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await using var write = await _store.BeginWriteAsync(pending.Actor.Tenant, _logger, CancellationToken.None);
            await using var session = write.SessionFor(pending.Actor);
            pending.Stage(session);
            await write.SaveAsync(session, CancellationToken.None);
            await write.CommitAsync(CancellationToken.None);
            pending.Done.TrySetResult();
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
