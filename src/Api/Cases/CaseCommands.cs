using System.Security.Claims;
using Defence.Api.Auditing;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using JasperFx;
using Marten;

namespace Defence.Api.Cases;

/// <summary>Who may act on a case beyond the roles of the door they came through.</summary>
public static class CaseAccess
{
    /// <summary>Staff acting on any case of their tenant; the endpoint's or page's roles already admit only staff.</summary>
    public static bool Staff(Case c, ClaimsPrincipal user) => true;

    /// <summary>Advisers, or the member whose case it is.</summary>
    public static bool AdviserOrOwnMember(Case c, ClaimsPrincipal user) =>
        user.IsInRole(Roles.Adviser) || c.MemberId == user.UserId();
}

/// <summary>
/// Runs one command against a case, for the API and the pages alike: load the case for the user's tenant, check
/// access (another tenant's or member's case is not found) and the version the user saw, let the domain decide,
/// and append through the audited session. Marten re-checks the version at commit, so two commands racing on one
/// version cannot both land.
/// </summary>
public sealed class CaseCommands(IDocumentStore store, TimeProvider clock, ILogger<CaseCommands> logger)
{
    public async Task<CaseOutcome> RunAsync<TCommand, TEvent>(
        HttpContext http, Guid caseId, IfMatch expected, TCommand? command,
        Func<Case, ClaimsPrincipal, bool> mayAct, Func<Case, TCommand, Guid, DateTimeOffset, Decision<TEvent>> decide)
        where TCommand : class where TEvent : class, ICaseEvent
    {
        if (command is null) return CaseOutcome.NoBody;
        if (!expected.IsValid) return CaseOutcome.Invalid(IfMatch.Header, IfMatch.FormatMessage);
        // No case has the empty id, and Marten refuses to fetch a stream by it.
        if (caseId == Guid.Empty) return new CaseOutcome.NotFound();

        var actor = Actor.Of(http);
        var ct = http.RequestAborted;
        await using var write = await store.BeginWriteAsync(actor.Tenant, logger, ct);
        await using var session = write.SessionFor(actor);
        var stream = await write.RunAsync(() => session.Events.FetchForWriting<Case>(caseId, ct));
        if (stream.Aggregate is not { } current || !mayAct(current, http.User))
            return new CaseOutcome.NotFound();

        var version = stream.StartingVersion ?? 0;
        if (!expected.Matches(version))
            return new CaseOutcome.Stale(version);

        var decision = decide(current, command, actor.UserId, clock.GetUtcNow());
        if (decision.Rejection is { } rejection)
            return new CaseOutcome.Refused(rejection);

        stream.AppendOne(decision.Event!);
        try
        {
            await write.SaveAsync(session, ct);
            await write.CommitAsync(ct);
        }
        catch (ConcurrencyException)
        {
            // Another command on this case committed first: nothing of this one was written.
            if (!expected.IsAny) return new CaseOutcome.Stale(null);
            return new CaseOutcome.Conflict(StatusCodes.Status409Conflict,
                "The case was changed by another request at the same time.", "Nothing was saved. Read the case again and retry.");
        }
        return new CaseOutcome.Recorded(caseId, version + 1);
    }
}
