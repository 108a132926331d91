using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.LinkingGmcComplaints;

public static class LinkGmcComplaintEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> LinkGmcComplaintAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, LinkGmcComplaint? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.Staff, (c, cmd, by, at) => c.LinkGmcComplaint(cmd, by, at));

    /// <summary>Link a GMC (regulator) complaint to the case. A case has at most one.</summary>
    [WolverinePost("/api/cases/{id}/gmc-complaint"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, LinkGmcComplaint request, CaseCommands commands, HttpContext http) =>
        (await commands.LinkGmcComplaintAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
