using Defence.Api.Limits;
using Defence.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Defence.Api.Tests.Limits;

/// <summary>The endpoints that create data in bulk carry their rate limit, including ones added later.</summary>
[Collection(ApiCollection.Name)]
public sealed class RateLimitPolicyTests(ApiFixture api)
{
    static readonly Dictionary<string, string> Expected = new()
    {
        ["POST /api/reports"] = AbuseLimits.Reports,
        ["POST /api/imports/cases"] = AbuseLimits.Imports,
    };

    [Fact]
    public void every_mapped_creation_endpoint_names_its_rate_limit_policy()
    {
        var mapped = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                (Key: $"{method} /{e.RoutePattern.RawText!.TrimStart('/')}", Policy: e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName)))
            .ToList();

        Assert.Contains(mapped, e => e.Key == "POST /api/reports");
        Assert.Contains(mapped, e => e.Key == "POST /api/imports/cases");
        var wrong = mapped.Where(e => Expected.TryGetValue(e.Key, out var policy) && e.Policy != policy)
            .Select(e => $"{e.Key} has rate limit policy '{e.Policy}'");
        Assert.Empty(wrong);
    }
}
