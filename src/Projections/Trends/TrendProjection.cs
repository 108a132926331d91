using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Defence.Projections.Trends;

/// <summary>
/// Keeps <see cref="TrendTables"/> current from the case events, asynchronously (the async daemon,
/// distributed by Wolverine). Every change is a single SQL increment, so events batched together
/// never overwrite each other's counts.
/// </summary>
public sealed partial class TrendProjection : EventProjection
{
    public const string ProjectionName = "Trends";

    public TrendProjection()
    {
        Name = ProjectionName;
        SchemaObjects.Add(TrendTables.CellsTable());
        SchemaObjects.Add(TrendTables.CaseCellsTable());
    }

    public void Project(IEvent<ReportReceived> e, IDocumentOperations operations) =>
        Count(operations, e.TenantId, e.Data.CaseId, e.Data.Specialty, e.Data.Concern, e.Data.Channels, e.Data.OccurredOn);

    public void Project(IEvent<CaseImported> e, IDocumentOperations operations) =>
        Count(operations, e.TenantId, e.Data.CaseId, e.Data.Specialty, e.Data.Concern, e.Data.Channels, e.Data.OccurredOn);

    public void Project(IEvent<GmcComplaintLinked> e, IDocumentOperations operations) =>
        operations.QueueSqlCommand(IncrementOfCase("gmc_complaints"), e.TenantId, e.Data.CaseId);

    public void Project(IEvent<AllegationWithdrawn> e, IDocumentOperations operations) =>
        operations.QueueSqlCommand(IncrementOfCase("withdrawals"), e.TenantId, e.Data.CaseId);

    /// <summary>The cell of a case: channels sorted, so one set of channels is one key.</summary>
    public static (string Specialty, string Concern, string[] Channels) CellOf(Specialty specialty, Concern concern, IEnumerable<Channel> channels) =>
        (Code.Of(specialty), Code.Of(concern), channels.Select(Code.Of).Distinct().Order(StringComparer.Ordinal).ToArray());

    static void Count(IDocumentOperations operations, string tenant, Guid caseId, Specialty specialty, Concern concern, IEnumerable<Channel> channels, DateOnly occurredOn)
    {
        var cell = CellOf(specialty, concern, channels);
        operations.QueueSqlCommand(
            $"insert into {TrendTables.CaseCells} (tenant_id, case_id, specialty, concern, channels, occurred_on) " +
            "values (?, ?, ?, ?, ?, ?) on conflict do nothing",
            tenant, caseId, cell.Specialty, cell.Concern, cell.Channels, occurredOn);
        operations.QueueSqlCommand(
            $"insert into {TrendTables.Cells} as t (tenant_id, specialty, concern, channels, occurred_on, cases) " +
            "values (?, ?, ?, ?, ?, 1) on conflict (tenant_id, specialty, concern, channels, occurred_on) do update set cases = t.cases + 1",
            tenant, cell.Specialty, cell.Concern, cell.Channels, occurredOn);
    }

    static string IncrementOfCase(string column) =>
        $"update {TrendTables.Cells} t set {column} = t.{column} + 1 from {TrendTables.CaseCells} c " +
        "where c.tenant_id = ? and c.case_id = ? and t.tenant_id = c.tenant_id and t.specialty = c.specialty " +
        "and t.concern = c.concern and t.channels = c.channels and t.occurred_on = c.occurred_on";
}
