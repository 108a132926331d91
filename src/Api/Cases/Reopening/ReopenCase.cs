using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Reopening;

/// <param name="Reason">Why the case is reopened, 1 to 4000 characters.</param>
public sealed record ReopenCaseRequest(string? Reason);

public static class ReopenCaseEndpoint
{
    /// <summary>Reopen a closed case. 409 when it is open.</summary>
    [WolverinePost("/api/cases/{id}/reopening"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, ReopenCaseRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var reason = errors.Text(request.Reason, "reason");
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.Staff,
            c => c.Reopen(reason, user.UserId(), clock.GetUtcNow()));
    }
}
