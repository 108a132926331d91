using Defence.Domain.Vocabulary;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using static Weasel.Postgresql.SchemaUtils;

namespace Defence.Projections.Trends;

/// <summary>
/// The trend statistics, kept per tenant as counts in cells keyed by (specialty, concern, period) at three
/// grains: day, month and year. Each case is also counted in its specialty's roll-up cell of every concern
/// together (concern <see cref="AllConcerns"/>), which questions that neither filter nor group by concern read. A cell counts its cases, their GMC complaints and withdrawals, and the same
/// three counts per contact channel in columns of their own (a case with several channels adds one to each).
/// A trends query covers its period with whole years, then whole months, then days at the edges, so it
/// reads at most a few hundred cells per (specialty, concern) whatever the number of cases or events.
/// </summary>
public static class TrendTables
{
    public const string Schema = "defence";
    public const string Cells = Schema + ".trend_cells";

    public const char Day = 'd', Month = 'm', Year = 'y';

    /// <summary>The concern of the roll-up cells that count every concern together; no concern code is this.</summary>
    public const string AllConcerns = "*";

    /// <summary>A case's two concerns as SQL rows (concern) of a concern expression: its own and the roll-up.</summary>
    public static string ConcernsOf(string concern) => $"(values ({concern}), ('{AllConcerns}'))";

    /// <summary>Column-name stem of each channel, e.g. <c>text_message</c>.</summary>
    public static IReadOnlyList<(string Code, string Column)> Channels { get; } =
        Code.All<Channel>().Select(code => (code, code.Replace('-', '_'))).ToArray();

    public static Table CellsTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "trend_cells", IdentifierUsage.General));
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

    /// <summary>cases, gmc, withdrawals, then c_/g_/w_ per channel: every counted column, in table order.</summary>
    public static IReadOnlyList<string> Measures { get; } =
        ["cases", "gmc", "withdrawals", .. Channels.SelectMany(c => new[] { $"c_{c.Column}", $"g_{c.Column}", $"w_{c.Column}" })];

    /// <summary>The three cells an incident date belongs to, as SQL rows (grain, period) of a date expression.</summary>
    /// <remarks>The grains are typed char(1) like the column: compared as text, the key's index could not be used.</remarks>
    public static string PeriodsOf(string date) =>
        $"(values ('{Day}'::char(1), {date}), ('{Month}'::char(1), date_trunc('month', {date})::date), ('{Year}'::char(1), date_trunc('year', {date})::date))";
}
