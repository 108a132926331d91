using JasperFx.Events.Projections;
using Marten;

namespace Defence.Projections.Trends;

public static class Configuration
{
    /// <summary>Registers the trend projection, run asynchronously so reporting never waits for statistics.</summary>
    public static StoreOptions ConfigureTrends(this StoreOptions options)
    {
        options.Projections.Add(new TrendProjection(), ProjectionLifecycle.Async);
        return options;
    }
}
