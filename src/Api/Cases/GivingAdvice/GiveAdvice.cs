using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Api.OpenApi;
using Defence.Domain.Vocabulary;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.GivingAdvice;

/// <param name="Advice">The advice, 1 to 4000 characters.</param>
/// <param name="Actions">Advice action codes, e.g. <c>explain-boundary-in-writing</c>; may be empty.</param>
public sealed record GiveAdviceRequest(
    string? Advice, [property: VocabularyCode(typeof(AdviceAction))] IReadOnlyList<string?>? Actions);

public static class GiveAdviceEndpoint
{
    /// <summary>Record advice given to the member, with the actions recommended.</summary>
    [WolverinePost("/api/cases/{id}/advice"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, GiveAdviceRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var advice = errors.Text(request.Advice, "advice");
        var actions = errors.Codes<AdviceAction>(request.Actions, "actions", atLeastOne: false);
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.Staff,
            c => c.GiveAdvice(advice, actions, user.UserId(), clock.GetUtcNow()));
    }
}
