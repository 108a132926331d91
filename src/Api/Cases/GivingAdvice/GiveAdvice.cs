using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.GivingAdvice;

public static class GiveAdviceEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> GiveAdviceAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, GiveAdvice? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.Staff, (c, cmd, by, at) => c.GiveAdvice(cmd, by, at));

    /// <summary>Record advice given to the member, with the actions recommended.</summary>
    [WolverinePost("/api/cases/{id}/advice"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, GiveAdvice request, CaseCommands commands, HttpContext http) =>
        (await commands.GiveAdviceAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
