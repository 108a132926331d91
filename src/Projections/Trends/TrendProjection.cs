using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Defence.Projections.Trends;

/// <summary>
/// Keeps <see cref="TrendTables"/> current from the case events, asynchronously (the async daemon,
/// distributed by Wolverine). Each event is one SQL statement that adds to counts in place, so events
/// batched together never overwrite each other's counts.
/// </summary>
public sealed partial class TrendProjection : EventProjection
{
    public const string ProjectionName = "Trends";

    static readonly string CountCase = BuildCountCase();
    static readonly string CountComplaint = BuildCountOfCase("gmc", "g_");
    static readonly string CountWithdrawal = BuildCountOfCase("withdrawals", "w_");

    public TrendProjection()
    {
        Name = ProjectionName;
        SchemaObjects.Add(TrendTables.CellsTable());
    }

    public void Project(IEvent<ReportReceived> e, IDocumentOperations operations) =>
        Count(operations, e.TenantId, e.Data.Specialty, e.Data.Concern, e.Data.Channels, e.Data.OccurredOn);

    public void Project(IEvent<CaseImported> e, IDocumentOperations operations) =>
        Count(operations, e.TenantId, e.Data.Specialty, e.Data.Concern, e.Data.Channels, e.Data.OccurredOn);

    public void Project(IEvent<GmcComplaintLinked> e, IDocumentOperations operations) =>
        operations.QueueSqlCommand(CountComplaint, e.TenantId, e.Data.CaseId);

    public void Project(IEvent<AllegationWithdrawn> e, IDocumentOperations operations) =>
        operations.QueueSqlCommand(CountWithdrawal, e.TenantId, e.Data.CaseId);

    static void Count(IDocumentOperations operations, string tenant, Specialty specialty, Concern concern, IReadOnlyList<Channel> channels, DateOnly occurredOn)
    {
        var codes = channels.Select(Code.Of).ToHashSet();
        object[] parameters = [tenant, Code.Of(specialty), Code.Of(concern), occurredOn, .. TrendTables.Channels.Select(c => codes.Contains(c.Code) ? 1 : 0)];
        operations.QueueSqlCommand(CountCase, parameters);
    }

    /// <summary>Adds one case to its day, month and year cells, and to the columns of each of its channels.</summary>
    static string BuildCountCase()
    {
        var channelColumns = TrendTables.Channels.Select(c => $"c_{c.Column}").ToArray();
        return
            $"insert into {TrendTables.Cells} as t (tenant_id, specialty, concern, grain, period, cases, {string.Join(", ", channelColumns)}) " +
            $"select a.tenant, a.specialty, a.concern, p.grain, p.period, 1, {string.Join(", ", channelColumns.Select(c => $"a.{c}"))} " +
            $"from (select ?::varchar as tenant, ?::varchar as specialty, ?::varchar as concern, ?::date as day, " +
            $"{string.Join(", ", channelColumns.Select(c => $"?::int as {c}"))}) a " +
            $"cross join lateral {TrendTables.PeriodsOf("a.day")} as p(grain, period) " +
            "on conflict (tenant_id, grain, period, specialty, concern) do update set cases = t.cases + 1, " +
            string.Join(", ", channelColumns.Select(c => $"{c} = t.{c} + excluded.{c}"));
    }

    /// <summary>
    /// Adds one to a count of the case's cells and of its channels' columns, finding the case's cells and
    /// channels from the first event of its stream (the report or import, always version 1).
    /// </summary>
    static string BuildCountOfCase(string column, string channelPrefix) =>
        $"update {TrendTables.Cells} t set {column} = t.{column} + 1, " +
        string.Join(", ", TrendTables.Channels.Select(c =>
            $"{channelPrefix}{c.Column} = t.{channelPrefix}{c.Column} + jsonb_exists(r.data->'channels', '{c.Code}')::int")) +
        $" from (select tenant_id, data, (data->>'occurredOn')::date as day from {TrendTables.Schema}.mt_events where tenant_id = ? and stream_id = ? and version = 1) r " +
        $"cross join lateral {TrendTables.PeriodsOf("r.day")} as p(grain, period) " +
        // Equality on every column of the cells' key, so each of the three cells is one index probe.
        "where t.tenant_id = r.tenant_id and t.grain = p.grain and t.period = p.period " +
        "and t.specialty = r.data->>'specialty' and t.concern = r.data->>'concern'";
}
