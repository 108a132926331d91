using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Reopening;

public static class ReopenCaseEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> ReopenAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, ReopenCase? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.Staff, (c, cmd, by, at) => c.Reopen(cmd, by, at));

    /// <summary>Reopen a closed case. 409 when it is open.</summary>
    [WolverinePost("/api/cases/{id}/reopening"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, ReopenCase request, CaseCommands commands, HttpContext http) =>
        (await commands.ReopenAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
