using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Reading;

public static class GetCaseEndpoint
{
    /// <summary>
    /// The case as <paramref name="user"/> may see it, or null: staff see every case of their tenant (the session's),
    /// a member only their own. For the API and the pages alike.
    /// </summary>
    public static async Task<CaseView?> FindCaseAsync(this IQuerySession session, ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var view = await session.LoadAsync<CaseView>(id, ct);
        return view is not null && (user.IsCaseStaff() || view.MemberId == user.UserId()) ? view : null;
    }

    /// <summary>Read a case with its advice, contacts, GMC complaint and full timeline.</summary>
    /// <remarks>
    /// Advisers and tenant admins read any case of their tenant; a member reads only their own cases.
    /// The <c>ETag</c> is the case version to send back in <c>If-Match</c>; <c>If-None-Match</c> answers 304.
    /// </remarks>
    [WolverineGet("/api/cases/{id}"), AllowRoles(Roles.Adviser, Roles.TenantAdmin, Roles.Member), Tags("Cases")]
    [ProducesResponseType<CaseView>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http)
    {
        if (await session.FindCaseAsync(http.User, id, http.RequestAborted) is not { } view)
            return Problems.CaseNotFound();

        var etag = IfMatch.ETag(view.Version);
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Ok(view);
    }
}
