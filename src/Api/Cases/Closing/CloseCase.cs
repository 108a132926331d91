using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Closing;

public static class CloseCaseEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> CloseAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, CloseCase? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.Staff, (c, cmd, by, at) => c.Close(cmd, by, at));

    /// <summary>Close the case with its outcome. 409 when it is already closed.</summary>
    [WolverinePost("/api/cases/{id}/closure"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, CloseCase request, CaseCommands commands, HttpContext http) =>
        (await commands.CloseAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
