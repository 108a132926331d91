using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Marten;

namespace Defence.Api.Cases;

/// <summary>The answer to every case command: the case and the version the command produced.</summary>
public sealed record CaseCommandResult(Guid CaseId, long Version);

/// <summary>Who may act on a case beyond the endpoint's roles.</summary>
public static class CaseAccess
{
    /// <summary>Staff acting on any case of their tenant; the endpoint's roles already admit only staff.</summary>
    public static Func<Case, bool> Staff { get; } = _ => true;

    /// <summary>Advisers, or the member whose case it is.</summary>
    public static Func<Case, bool> AdviserOrOwnMember(ClaimsPrincipal user) =>
        c => user.IsInRole(Roles.Adviser) || c.MemberId == user.UserId();
}

/// <summary>
/// Runs one command against a case stream: load it for the session's tenant, check access and
/// <c>If-Match</c>, let the domain decide, append the event. The Wolverine transaction commits it,
/// and Marten re-checks the version at commit, so two commands racing on one version cannot both land.
/// </summary>
public static class CaseCommand
{
    public static async Task<IResult> ExecuteAsync<TEvent>(
        IDocumentSession session, HttpContext http, Guid caseId,
        Func<Case, bool> mayAct, Func<Case, Decision<TEvent>> decide)
        where TEvent : class, ICaseEvent
    {
        if (!IfMatch.TryParse(http.Request.Headers.IfMatch, out var ifMatch))
            return Problems.Validation("If-Match", "Expected one or more case versions as strong ETags, e.g. \"3\", or *.");

        var stream = await session.Events.FetchForWriting<Case>(caseId, http.RequestAborted);
        if (stream.Aggregate is not { } current || !mayAct(current))
            return Problems.CaseNotFound();

        var version = stream.StartingVersion ?? 0;
        if (!ifMatch.Matches(version))
            return Problems.PreconditionFailed(version);

        var decision = decide(current);
        if (decision.Rejection is { } rejection)
            return Problems.Rejected(rejection);

        stream.AppendOne(decision.Event!);
        return Answer(http, caseId, version + 1, StatusCodes.Status200OK);
    }

    public static IResult Answer(HttpContext http, Guid caseId, long version, int status)
    {
        http.Response.Headers.ETag = IfMatch.ETag(version);
        var body = new CaseCommandResult(caseId, version);
        return status == StatusCodes.Status201Created
            ? Results.Created($"/api/cases/{caseId}", body)
            : Results.Ok(body);
    }
}
