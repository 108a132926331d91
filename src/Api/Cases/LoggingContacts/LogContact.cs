using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.LoggingContacts;

public static class LogContactEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> LogContactAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, LogContact? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.AdviserOrOwnMember, (c, cmd, by, at) => c.LogContact(cmd, by, at));

    /// <summary>Log a further contact from the patient: by the member on their own case, or by an adviser.</summary>
    /// <remarks>Accepted on closed cases too: the member's log of contacts outlives the case.</remarks>
    [WolverinePost("/api/cases/{id}/contacts"), AllowRoles(Roles.Member, Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, LogContact request, CaseCommands commands, HttpContext http) =>
        (await commands.LogContactAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
