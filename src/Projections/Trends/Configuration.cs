using JasperFx.Events.Projections;
using Marten;

namespace Defence.Projections.Trends;

public static class Configuration
{
    /// <summary>Registers the trend projection, run asynchronously so reporting never waits for statistics.</summary>
    public static StoreOptions ConfigureTrends(this StoreOptions options)
    {
        var tables = TrendTables.Of(options);
        options.Storage.ExtendedSchemaObjects.Add(tables.CellsTable());
        options.Projections.Add(new TrendProjection(tables), ProjectionLifecycle.Async, TrendProjection.ProjectionName,
            async => async.BatchSize = TrendProjection.PageSize);
        return options;
    }
}
