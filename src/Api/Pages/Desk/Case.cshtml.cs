using Defence.Api.Cases;
using Defence.Api.Cases.Assigning;
using Defence.Api.Cases.Closing;
using Defence.Api.Cases.GivingAdvice;
using Defence.Api.Cases.LinkingGmcComplaints;
using Defence.Api.Cases.LoggingContacts;
using Defence.Api.Cases.Reopening;
using Defence.Api.Cases.WithdrawingAllegations;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Defence.Api.Pages.Desk;

/// <summary>
/// A case on the desk: everything about it with its whole timeline, and a form for each case command. Tenant admins
/// read it; the commands are the advisers', as in the API.
/// </summary>
[AllowRoles(Roles.Adviser, Roles.TenantAdmin)]
public sealed class CaseModel(IDocumentStore store, CaseCommands commands, PageClock clock) : CasePageModel(store)
{
    public PageForm Assign { get; } = new("assign");
    public PageForm Advice { get; } = new("advice");
    public PageForm Contact { get; } = new("contact");
    public PageForm Gmc { get; } = new("gmc");
    public PageForm Withdrawal { get; } = new("withdrawal");
    public PageForm Close { get; } = new("close");
    public PageForm Reopen { get; } = new("reopen");

    public IEnumerable<PageForm> Forms => [Assign, Advice, Contact, Gmc, Withdrawal, Close, Reopen];

    /// <summary>Whether this user may send the commands (advisers); others see the case only.</summary>
    public bool MayAct => User.IsInRole(Roles.Adviser);

    protected override string PathOf(Guid id) => $"/desk/cases/{id}";

    public Task<IActionResult> OnGetAsync(Guid id) => ShowAsync(id);

    IFormCollection Posted => Request.Form;

    public Task<IActionResult> OnPostAssignAsync(Guid id)
    {
        var command = new AssignCase(Posted.Guid("adviserId", Assign));
        return Run(id, Assign, ["adviserId"], "assigned", expected => commands.AssignAsync(HttpContext, id, expected, command));
    }

    public Task<IActionResult> OnPostAdviceAsync(Guid id)
    {
        var command = new GiveAdvice(Posted.Text("advice"), Posted.List("actions"));
        return Run(id, Advice, ["advice", "actions"], "advice", expected => commands.GiveAdviceAsync(HttpContext, id, expected, command));
    }

    public Task<IActionResult> OnPostContactAsync(Guid id)
    {
        var command = new LogContact(Posted.Text("channel"), Posted.Time("occurredAt", Contact, clock), Posted.Text("note"));
        return Run(id, Contact, Portal.CaseModel.ContactFields, "contact", expected => commands.LogContactAsync(HttpContext, id, expected, command));
    }

    public Task<IActionResult> OnPostGmcComplaintAsync(Guid id)
    {
        var command = new LinkGmcComplaint(Posted.Text("gmcReference"), Posted.Date("receivedOn", Gmc), Posted.Text("allegation"));
        return Run(id, Gmc, ["gmcReference", "receivedOn", "allegation"], "gmc-complaint",
            expected => commands.LinkGmcComplaintAsync(HttpContext, id, expected, command));
    }

    public Task<IActionResult> OnPostWithdrawalAsync(Guid id)
    {
        var command = new RecordWithdrawal(Posted.Date("withdrawnOn", Withdrawal), Posted.Text("reason"));
        return Run(id, Withdrawal, ["withdrawnOn", "reason"], "withdrawal", expected => commands.RecordWithdrawalAsync(HttpContext, id, expected, command));
    }

    public Task<IActionResult> OnPostCloseAsync(Guid id)
    {
        var command = new CloseCase(Posted.Text("outcome"));
        return Run(id, Close, ["outcome"], "closed", expected => commands.CloseAsync(HttpContext, id, expected, command));
    }

    public Task<IActionResult> OnPostReopenAsync(Guid id)
    {
        var command = new ReopenCase(Posted.Text("reason"));
        return Run(id, Reopen, ["reason"], "reopened", expected => commands.ReopenAsync(HttpContext, id, expected, command));
    }

    Task<IActionResult> Run(Guid id, PageForm form, string[] fields, string done, Func<IfMatch, Task<CaseOutcome>> command) =>
        // The case commands are the advisers' (docs/http-api.md): a tenant admin reads the desk but sends none.
        MayAct ? RunAsync(id, form, fields, done, command) : Task.FromResult<IActionResult>(Forbid());
}
