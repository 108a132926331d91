using Defence.Api.Cases;
using Defence.Api.Cases.LoggingContacts;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Defence.Api.Pages.Portal;

/// <summary>A member's own case: its status, the advice given in plain words, the contact log, and a form to log a contact.</summary>
[AllowRoles(Roles.Member)]
public sealed class CaseModel(IDocumentStore store, CaseCommands commands, PageClock clock) : CasePageModel(store)
{
    public static readonly string[] ContactFields = ["channel", "occurredAt", "note"];

    public PageForm Contact { get; } = new("contact");

    protected override string PathOf(Guid id) => $"/portal/cases/{id}";

    public Task<IActionResult> OnGetAsync(Guid id) => ShowAsync(id);

    public Task<IActionResult> OnPostAsync(Guid id)
    {
        var form = Request.Form;
        var command = new LogContact(form.Text("channel"), form.Time("occurredAt", Contact, clock), form.Text("note"));
        return RunAsync(id, Contact, ContactFields, "contact", expected => commands.LogContactAsync(HttpContext, id, expected, command));
    }
}
