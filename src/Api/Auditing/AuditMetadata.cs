using System.Security.Claims;
using Defence.Api.Identity;
using Marten;
using Wolverine.Http;

namespace Defence.Api.Auditing;

/// <summary>
/// Every event records who appended it and in which request, in Marten's own event metadata: the acting
/// user's <c>oid</c> as the user name and the request's correlation id. The tenant is Marten's tenant id
/// of the event (conjoined tenancy), which the session takes from the token's tenant.
/// </summary>
public static class AuditMetadata
{
    public static StoreOptions StoreAuditMetadata(this StoreOptions options)
    {
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        return options;
    }

    /// <summary>
    /// Stamps the session of every endpoint that can write, so an endpoint added later is audited without
    /// remembering to. Marten copies these onto each event when the session saves.
    /// </summary>
    public static void StampWritingEndpoints(this WolverineHttpOptions options) =>
        options.AddMiddleware(typeof(AuditMetadata),
            chain => chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession)));

    /// <summary>Wolverine middleware: runs after the session is opened for the tenant, before the endpoint.</summary>
    public static void Before(IDocumentSession session, HttpContext http, ClaimsPrincipal user)
    {
        // Wolverine set these from its own message context; the request's values replace them.
        session.CorrelationId = Correlation.Of(http);
        session.LastModifiedBy = user.FindFirstValue(ClaimNames.UserId);
    }
}
