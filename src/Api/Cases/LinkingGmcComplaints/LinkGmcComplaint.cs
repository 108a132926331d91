using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.LinkingGmcComplaints;

/// <param name="GmcReference">The GMC's reference for the complaint, 1 to 100 characters.</param>
/// <param name="ReceivedOn">The date the complaint was received (YYYY-MM-DD).</param>
/// <param name="Allegation">What the complaint alleges, 1 to 4000 characters.</param>
public sealed record LinkGmcComplaintRequest(string? GmcReference, DateOnly? ReceivedOn, string? Allegation);

public static class LinkGmcComplaintEndpoint
{
    /// <summary>Link a GMC (regulator) complaint to the case. A case has at most one.</summary>
    [WolverinePost("/api/cases/{id}/gmc-complaint"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(
        Guid id, LinkGmcComplaintRequest request, IDocumentSession session, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var reference = errors.Text(request.GmcReference, "gmcReference", maxLength: 100);
        var receivedOn = errors.Required(request.ReceivedOn, "receivedOn");
        var allegation = errors.Text(request.Allegation, "allegation");
        if (errors.Problem is { } problem) return problem;

        return await CaseCommand.ExecuteAsync(session, http, id, CaseAccess.Staff,
            c => c.LinkGmcComplaint(reference, receivedOn, allegation, user.UserId(), clock.GetUtcNow()));
    }
}
