using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Closing;

/// <param name="Outcome">How the case ended, 1 to 4000 characters.</param>
public sealed record CloseCaseRequest(string? Outcome);

public static class CloseCaseEndpoint
{
    /// <summary>Close the case with its outcome. 409 when it is already closed.</summary>
    [WolverinePost("/api/cases/{id}/closure"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, CloseCaseRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var outcome = errors.Text(request.Outcome, "outcome");
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.Staff,
            c => c.Close(outcome, user.UserId(), clock.GetUtcNow()));
    }
}
