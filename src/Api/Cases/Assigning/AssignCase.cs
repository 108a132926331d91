using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Assigning;

/// <param name="AdviserId">The adviser (their user id) who takes the case.</param>
public sealed record AssignCaseRequest(Guid? AdviserId);

public static class AssignCaseEndpoint
{
    /// <summary>Assign the case to an adviser, or reassign it.</summary>
    [WolverinePost("/api/cases/{id}/assignment"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, AssignCaseRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var adviserId = errors.Required(request.AdviserId, "adviserId");
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.Staff,
            c => c.Assign(adviserId, user.UserId(), clock.GetUtcNow()));
    }
}
