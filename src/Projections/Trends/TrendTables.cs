using Weasel.Postgresql;
using static Weasel.Postgresql.SchemaUtils;
using Weasel.Postgresql.Tables;

namespace Defence.Projections.Trends;

/// <summary>
/// The trend statistics, kept per tenant as counts in cells: one row per distinct
/// (specialty, concern, set of channels, date of the incident). A trends query reads these rows,
/// never the events, so its cost follows the number of distinct keys, not the number of cases.
/// </summary>
public static class TrendTables
{
    public const string Schema = "defence";
    public const string Cells = Schema + ".trend_cells";
    /// <summary>Which cell each case was counted in, so a later complaint or withdrawal finds it.</summary>
    public const string CaseCells = Schema + ".trend_case_cells";

    public static Table CellsTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "trend_cells", IdentifierUsage.General));
        table.AddColumn<string>("tenant_id").NotNull().AsPrimaryKey();
        table.AddColumn<string>("specialty").NotNull().AsPrimaryKey();
        table.AddColumn<string>("concern").NotNull().AsPrimaryKey();
        table.AddColumn("channels", "varchar[]").NotNull().AsPrimaryKey();
        table.AddColumn("occurred_on", "date").NotNull().AsPrimaryKey();
        table.AddColumn<int>("cases").NotNull().DefaultValue(0);
        table.AddColumn<int>("gmc_complaints").NotNull().DefaultValue(0);
        table.AddColumn<int>("withdrawals").NotNull().DefaultValue(0);
        table.Indexes.Add(new IndexDefinition("ix_trend_cells_tenant_date") { Columns = ["tenant_id", "occurred_on"] });
        return table;
    }

    public static Table CaseCellsTable()
    {
        var table = new Table(new PostgresqlObjectName(Schema, "trend_case_cells", IdentifierUsage.General));
        table.AddColumn<string>("tenant_id").NotNull().AsPrimaryKey();
        table.AddColumn<Guid>("case_id").NotNull().AsPrimaryKey();
        table.AddColumn<string>("specialty").NotNull();
        table.AddColumn<string>("concern").NotNull();
        table.AddColumn("channels", "varchar[]").NotNull();
        table.AddColumn("occurred_on", "date").NotNull();
        return table;
    }
}
