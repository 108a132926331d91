using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Defence.Projections.Trends;

/// <summary>
/// Keeps <see cref="TrendTables"/> current from the case events, asynchronously (the async daemon,
/// distributed by Wolverine). It works a page of events at a time: the page's reports are summed into cell
/// increments in memory, its complaints and withdrawals are matched to their case's report in the same SQL
/// statement, and that one statement adds everything to the cells in place. So catching up costs one
/// statement per page, not per event, and concurrent pages never overwrite each other's counts.
/// </summary>
public sealed class TrendProjection : IProjection
{
    public const string ProjectionName = "Trends";

    /// <summary>Events the daemon fetches per page, so per statement; bounded so a page stays small in memory.</summary>
    public const int PageSize = 2_000;

    static readonly int MeasureCount = TrendTables.Measures.Count;
    static readonly Dictionary<string, int> ColumnIndex = TrendTables.Measures.Select((column, i) => (column, i)).ToDictionary(x => x.column, x => x.i);
    static readonly int Cases = ColumnIndex["cases"];
    static readonly Dictionary<Channel, int> CaseChannelColumn = TrendTables.Channels.ToDictionary(c => Code.Parse<Channel>(c.Code), c => ColumnIndex[$"c_{c.Column}"]);

    static readonly string ApplyPage = BuildApplyPage();

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var page = new Page();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case ReportReceived r:
                    page.Count(e.TenantId, r.Specialty, r.Concern, r.Channels, r.OccurredOn);
                    break;
                case CaseImported i:
                    page.Count(e.TenantId, i.Specialty, i.Concern, i.Channels, i.OccurredOn);
                    break;
                case GmcComplaintLinked g:
                    page.FollowUp(e.TenantId, g.CaseId, gmc: 1, withdrawals: 0);
                    break;
                case AllegationWithdrawn w:
                    page.FollowUp(e.TenantId, w.CaseId, gmc: 0, withdrawals: 1);
                    break;
            }
        }

        if (!page.IsEmpty) operations.QueueSqlCommand(ApplyPage, page.Parameters());
        return Task.CompletedTask;
    }

    readonly record struct CellKey(string Tenant, char Grain, DateOnly Period, string Specialty, string Concern);

    /// <summary>One page's increments: report counts by cell, and complaints/withdrawals by case.</summary>
    sealed class Page
    {
        readonly Dictionary<CellKey, int[]> _cells = [];
        readonly Dictionary<(string Tenant, Guid Case), (int Gmc, int Withdrawals)> _followUps = [];

        public bool IsEmpty => _cells.Count == 0 && _followUps.Count == 0;

        public void Count(string tenant, Specialty specialty, Concern concern, IReadOnlyList<Channel> channels, DateOnly day)
        {
            var specialtyCode = Code.Of(specialty);
            foreach (var concernCode in new[] { Code.Of(concern), TrendTables.AllConcerns })
            {
                Add(new CellKey(tenant, TrendTables.Day, day, specialtyCode, concernCode), channels);
                Add(new CellKey(tenant, TrendTables.Month, new DateOnly(day.Year, day.Month, 1), specialtyCode, concernCode), channels);
                Add(new CellKey(tenant, TrendTables.Year, new DateOnly(day.Year, 1, 1), specialtyCode, concernCode), channels);
            }
        }

        void Add(CellKey key, IReadOnlyList<Channel> channels)
        {
            if (!_cells.TryGetValue(key, out var measures)) _cells[key] = measures = new int[MeasureCount];
            measures[Cases]++;
            // A channel named twice still counts the case once in its column.
            foreach (var channel in channels.Distinct()) measures[CaseChannelColumn[channel]]++;
        }

        public void FollowUp(string tenant, Guid caseId, int gmc, int withdrawals)
        {
            _followUps.TryGetValue((tenant, caseId), out var counts);
            _followUps[(tenant, caseId)] = (counts.Gmc + gmc, counts.Withdrawals + withdrawals);
        }

        /// <summary>The statement's parameters, column arrays in the order <see cref="BuildApplyPage"/> reads them.</summary>
        public object[] Parameters()
        {
            var cells = _cells.ToArray();
            var parameters = new List<object>(5 + MeasureCount + 4)
            {
                cells.Select(c => c.Key.Tenant).ToArray(),
                cells.Select(c => c.Key.Grain.ToString()).ToArray(),
                cells.Select(c => c.Key.Period).ToArray(),
                cells.Select(c => c.Key.Specialty).ToArray(),
                cells.Select(c => c.Key.Concern).ToArray(),
            };
            for (var m = 0; m < MeasureCount; m++)
            {
                var column = m;
                parameters.Add(cells.Select(c => c.Value[column]).ToArray());
            }
            var followUps = _followUps.ToArray();
            parameters.Add(followUps.Select(f => f.Key.Tenant).ToArray());
            parameters.Add(followUps.Select(f => f.Key.Case).ToArray());
            parameters.Add(followUps.Select(f => f.Value.Gmc).ToArray());
            parameters.Add(followUps.Select(f => f.Value.Withdrawals).ToArray());
            return [.. parameters];
        }
    }

    /// <summary>
    /// One statement for a page. The report increments arrive as column arrays; the complaints and withdrawals
    /// as (tenant, case, counts) arrays, matched to their case's cells (its concern's and the roll-up's) and channels through the case's first
    /// event (the report or import, always version 1, committed before them). Both are summed per cell, so
    /// each cell is written once, and added to the stored counts.
    /// </summary>
    static string BuildApplyPage()
    {
        var measures = TrendTables.Measures;
        var keyColumns = "tenant_id, grain, period, specialty, concern";
        var reportArrays = string.Join(", ",
            new[] { "?::varchar[]", "?::char(1)[]", "?::date[]", "?::varchar[]", "?::varchar[]" }
                .Concat(measures.Select(_ => "?::int[]")));
        string FollowUpMeasure(string column) => column switch
        {
            "cases" => "0",
            "gmc" => "f.gmc",
            "withdrawals" => "f.withdrawals",
            _ when column.StartsWith("c_", StringComparison.Ordinal) => "0",
            _ => $"jsonb_exists(r.data->'channels', '{TrendTables.Channels.Single(c => c.Column == column[2..]).Code}')::int * " +
                 (column.StartsWith("g_", StringComparison.Ordinal) ? "f.gmc" : "f.withdrawals"),
        };

        return
            $"insert into {TrendTables.Cells} as t ({keyColumns}, {string.Join(", ", measures)}) " +
            $"select {keyColumns}, {string.Join(", ", measures.Select(m => $"sum({m})"))} from (" +
            $"  select * from unnest({reportArrays}) as d({keyColumns}, {string.Join(", ", measures)}) " +
            "  union all " +
            $"  select r.tenant_id, p.grain, p.period, r.data->>'specialty', k.concern, {string.Join(", ", measures.Select(FollowUpMeasure))} " +
            "  from unnest(?::varchar[], ?::uuid[], ?::int[], ?::int[]) as f(tenant, case_id, gmc, withdrawals) " +
            $"  join {TrendTables.Schema}.mt_events r on r.tenant_id = f.tenant and r.stream_id = f.case_id and r.version = 1 " +
            $"  cross join lateral {TrendTables.PeriodsOf("(r.data->>'occurredOn')::date")} as p(grain, period) " +
            $"  cross join lateral {TrendTables.ConcernsOf("r.data->>'concern'")} as k(concern) " +
            $") x group by {keyColumns} " +
            $"on conflict ({keyColumns}) do update set " +
            string.Join(", ", measures.Select(m => $"{m} = t.{m} + excluded.{m}"));
    }
}
