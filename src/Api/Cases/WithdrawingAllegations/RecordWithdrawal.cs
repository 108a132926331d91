using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.WithdrawingAllegations;

public static class RecordWithdrawalEndpoint
{
    /// <summary>The use case, for the API and the desk alike.</summary>
    public static Task<CaseOutcome> RecordWithdrawalAsync(this CaseCommands commands, HttpContext http, Guid caseId, IfMatch expected, RecordWithdrawal? command) =>
        commands.RunAsync(http, caseId, expected, command, CaseAccess.Staff, (c, cmd, by, at) => c.RecordWithdrawal(cmd, by, at));

    /// <summary>Record that the GMC complaint's allegation was withdrawn. 409 when no complaint is linked.</summary>
    [WolverinePost("/api/cases/{id}/allegation-withdrawal"), AllowRoles(Roles.Adviser), Tags("Cases")]
    [CaseCommandResponses]
    public static async Task<IResult> Post(Guid id, RecordWithdrawal request, CaseCommands commands, HttpContext http) =>
        (await commands.RecordWithdrawalAsync(http, id, IfMatch.Of(http), request)).ToResult(http);
}
