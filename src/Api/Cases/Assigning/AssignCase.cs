using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Assigning;

public static class AssignCaseEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> AssignAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, AssignCase? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.Staff, (c, cmd, by, at) => c.Assign(cmd, by, at));

    /// <summary>Assign the case to an adviser, or reassign it.</summary>
    [WolverinePost("/api/cases/{id}/assignment"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, AssignCase request, CaseCommands commands, HttpContext http) =>
        (await commands.AssignAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
