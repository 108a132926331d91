using Defence.Api.Identity;

namespace Defence.Api.Auditing;

/// <summary>
/// Who a write is done for: the tenant it lands in, the acting user's id (their <c>oid</c>) and the
/// correlation id of the request or run that asked for it. Every event records all three.
/// </summary>
public sealed record Actor(string Tenant, Guid UserId, string CorrelationId)
{
    /// <summary>The signed-in user of a request (API or page), with the request's correlation id.</summary>
    public static Actor Of(HttpContext http) => new(http.User.Tenant(), http.User.UserId(), Correlation.Of(http));

    /// <summary>
    /// An operator at the command line: their <c>oid</c> when given, else the all-zero id that stands for the
    /// command line; one correlation id for the whole run.
    /// </summary>
    public static Actor Operator(string tenant, Guid? userId) => new(tenant, userId ?? Guid.Empty, $"cli-{Guid.NewGuid():N}");
}
