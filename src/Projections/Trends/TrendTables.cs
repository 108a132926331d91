using System.Text.Json;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using static Weasel.Postgresql.SchemaUtils;

namespace Defence.Projections.Trends;

/// <summary>
/// The trend statistics, kept per tenant as counts in cells keyed by (specialty, concern, period) at three
/// grains: day, month and year. Each case is also counted in its specialty's roll-up cell of every concern
/// together (concern <see cref="AllConcerns"/>), which questions that neither filter nor group by concern read.
/// A cell counts its cases, their GMC complaints and withdrawals, and the same three counts per contact channel
/// in columns of their own (a case with several channels adds one to each). A trends query covers its period
/// with whole years, then whole months, then days at the edges, so it reads at most a few hundred cells per
/// (specialty, concern) whatever the number of cases or events. The table lives in the store's own schema.
/// </summary>
public sealed class TrendTables(string schema, string eventsSchema)
{
    public const char Day = 'd', Month = 'm', Year = 'y';

    /// <summary>The concern of the roll-up cells that count every concern together; no concern code is this.</summary>
    public const string AllConcerns = "*";

    public static TrendTables Of(StoreOptions options) => new(options.DatabaseSchemaName, options.Events.DatabaseSchemaName);

    public static TrendTables Of(IDocumentStore store) => Of((StoreOptions)store.Options);

    public string Cells { get; } = $"{schema}.trend_cells";

    public string Events { get; } = $"{eventsSchema}.mt_events";

    public string EventProgression { get; } = $"{eventsSchema}.mt_event_progression";

    /// <summary>Column-name stem of each channel, e.g. <c>text_message</c>.</summary>
    public static IReadOnlyList<(string Code, string Column)> Channels { get; } =
        Code.All<Channel>().Select(code => (code, code.Replace('-', '_'))).ToArray();

    /// <summary>cases, gmc, withdrawals, then c_/g_/w_ per channel: every counted column, in table order.</summary>
    public static IReadOnlyList<string> Measures { get; } =
        ["cases", "gmc", "withdrawals", .. Channels.SelectMany(c => new[] { $"c_{c.Column}", $"g_{c.Column}", $"w_{c.Column}" })];

    public Table CellsTable()
    {
        var table = new Table(new PostgresqlObjectName(schema, "trend_cells", IdentifierUsage.General));
        table.AddColumn<string>("tenant_id").NotNull().AsPrimaryKey();
        // Spelled as the catalog reports it: Weasel compares "char" and "character" as different types, so char(1) made
        // every schema check see a change and every start alter the column to the type it already had.
        table.AddColumn("grain", "character(1)").NotNull().AsPrimaryKey();
        table.AddColumn("period", "date").NotNull().AsPrimaryKey();
        table.AddColumn<string>("specialty").NotNull().AsPrimaryKey();
        table.AddColumn<string>("concern").NotNull().AsPrimaryKey();
        foreach (var measure in Measures) table.AddColumn<int>(measure).NotNull().DefaultValue(0);
        return table;
    }

    /// <summary>
    /// How events count, the one definition the projection and the rebuild share: adds to the cells every counted
    /// event that <paramref name="eventScope"/> (a condition on <c>e</c>, the events table) selects. A case's first
    /// event (its report or import, version 1) counts the case; a GMC complaint or a withdrawal counts against the
    /// case's cells, found through that first event. Each counts in the day, month and year cell of the case's
    /// incident date, for its concern and for the roll-up, and in the columns of each of the case's channels.
    /// </summary>
    public string AddEvents(string eventScope)
    {
        var measures = new List<string> { "sum(k.cases)", "sum(k.gmc)", "sum(k.withdrawals)" };
        measures.AddRange(Channels.SelectMany(c => new[]
        {
            $"sum(k.has_{c.Column} * k.cases)", $"sum(k.has_{c.Column} * k.gmc)", $"sum(k.has_{c.Column} * k.withdrawals)",
        }));
        var firstEvents = $"'{TypeName<ReportReceived>()}', '{TypeName<CaseImported>()}'";
        var key = "tenant_id, grain, period, specialty, concern";
        return
            $"insert into {Cells} as t ({key}, {string.Join(", ", Measures)}) " +
            $"select k.tenant_id, p.grain, p.period, k.specialty, kc.concern, {string.Join(", ", measures)} from (" +
            "  select e.tenant_id, r.data->>'specialty' as specialty, r.data->>'concern' as concern, (r.data->>'occurredOn')::date as day, " +
            $"  (e.version = 1)::int as cases, (e.type = '{TypeName<GmcComplaintLinked>()}')::int as gmc, (e.type = '{TypeName<AllegationWithdrawn>()}')::int as withdrawals, " +
            string.Join(", ", Channels.Select(c => $"jsonb_exists(r.data->'channels', '{c.Code}')::int as has_{c.Column}")) +
            $"  from {Events} e join {Events} r on r.tenant_id = e.tenant_id and r.stream_id = e.stream_id and r.version = 1 and r.type in ({firstEvents}) " +
            $"  where ({eventScope}) and ((e.version = 1 and e.type in ({firstEvents})) or e.type in ('{TypeName<GmcComplaintLinked>()}', '{TypeName<AllegationWithdrawn>()}'))" +
            ") k " +
            $"cross join lateral (values ('{Day}'::char(1), k.day), ('{Month}'::char(1), date_trunc('month', k.day)::date), ('{Year}'::char(1), date_trunc('year', k.day)::date)) as p(grain, period) " +
            $"cross join lateral (values (k.concern), ('{AllConcerns}')) as kc(concern) " +
            $"group by k.tenant_id, p.grain, p.period, k.specialty, kc.concern " +
            $"on conflict ({key}) do update set " + string.Join(", ", Measures.Select(m => $"{m} = t.{m} + excluded.{m}"));
    }

    /// <summary>The name Marten stores an event type under (<c>mt_events.type</c>).</summary>
    static string TypeName<T>() => JsonNamingPolicy.SnakeCaseLower.ConvertName(typeof(T).Name);
}
