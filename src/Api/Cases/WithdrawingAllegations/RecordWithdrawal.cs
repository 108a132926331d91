using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.WithdrawingAllegations;

/// <param name="WithdrawnOn">The date the allegation was withdrawn (YYYY-MM-DD).</param>
/// <param name="Reason">Why, e.g. the complainant admitted it was fabricated; 1 to 4000 characters.</param>
public sealed record RecordWithdrawalRequest(DateOnly? WithdrawnOn, string? Reason);

public static class RecordWithdrawalEndpoint
{
    /// <summary>Record that the GMC complaint's allegation was withdrawn. 409 when no complaint is linked.</summary>
    [WolverinePost("/api/cases/{id}/allegation-withdrawal"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, RecordWithdrawalRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var withdrawnOn = errors.Required(request.WithdrawnOn, "withdrawnOn");
        var reason = errors.Text(request.Reason, "reason");
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.Staff,
            c => c.RecordWithdrawal(withdrawnOn, reason, user.UserId(), clock.GetUtcNow()));
    }
}
