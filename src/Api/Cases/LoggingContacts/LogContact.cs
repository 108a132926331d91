using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Api.OpenApi;
using Defence.Domain.Vocabulary;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.LoggingContacts;

/// <param name="Channel">How the patient made contact: a channel code.</param>
/// <param name="OccurredAt">When the contact happened (date and time with offset).</param>
/// <param name="Note">What happened, 1 to 4000 characters.</param>
public sealed record LogContactRequest(
    [property: VocabularyCode(typeof(Channel))] string? Channel, DateTimeOffset? OccurredAt, string? Note);

public static class LogContactEndpoint
{
    /// <summary>Log a further contact from the patient: by the member on their own case, or by an adviser.</summary>
    /// <remarks>Accepted on closed cases too: the member's log of contacts outlives the case.</remarks>
    [WolverinePost("/api/cases/{id}/contacts"), AllowRoles(Roles.Member, Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, LogContactRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var channel = errors.Code<Channel>(request.Channel, "channel");
        var occurredAt = errors.Required(request.OccurredAt, "occurredAt");
        var note = errors.Text(request.Note, "note");
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.AdviserOrOwnMember(user),
            c => c.LogContact(channel, occurredAt, note, user.UserId(), clock.GetUtcNow()));
    }
}
