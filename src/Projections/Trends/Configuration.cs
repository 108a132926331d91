using JasperFx.Events.Projections;
using Marten;

namespace Defence.Projections.Trends;

public static class Configuration
{
    /// <summary>Registers the trend projection, run asynchronously so reporting never waits for statistics.</summary>
    public static StoreOptions ConfigureTrends(this StoreOptions options)
    {
        options.Storage.ExtendedSchemaObjects.Add(TrendTables.CellsTable());
        options.Projections.Add(new TrendProjection(), ProjectionLifecycle.Async, TrendProjection.ProjectionName,
            async => async.BatchSize = TrendProjection.PageSize);
        return options;
    }
}
