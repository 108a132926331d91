using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Defence.Projections.Trends;

/// <summary>
/// Keeps the trend cells (<see cref="TrendTables"/>) current, asynchronously (the async daemon, distributed by
/// Wolverine). Each page of events the daemon hands over is counted by one statement, the same
/// <see cref="TrendTables.AddEvents"/> a rebuild runs over every event, so the two cannot count differently;
/// and each cell is added to in place, so concurrent pages never overwrite each other's counts.
/// </summary>
public sealed class TrendProjection(TrendTables tables) : IProjection
{
    public const string ProjectionName = "Trends";

    /// <summary>Events the daemon fetches per page, so per statement; bounded so a page stays small in memory.</summary>
    public const int PageSize = 2_000;

    readonly string _addPage = tables.AddEvents("e.seq_id = any(?::bigint[])");

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        if (events.Count > 0) operations.QueueSqlCommand(_addPage, events.Select(e => e.Sequence).ToArray());
        return Task.CompletedTask;
    }
}
