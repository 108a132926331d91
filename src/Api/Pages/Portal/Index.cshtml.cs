using Defence.Api.Cases;
using Defence.Api.Cases.Listing;
using Defence.Api.Cases.Reporting;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Defence.Domain.Rules;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages.Portal;

/// <summary>The member's portal: report an incident, and the member's own cases.</summary>
[AllowRoles(Roles.Member)]
public sealed class IndexModel(Reports reports, IDocumentStore store) : PageModel
{
    public const string IdempotencyKeyField = "idempotencyKey";
    public static readonly string[] ReportFields = ["specialty", "channels", "concern", "occurredOn", "summary", "patientReference"];
    /// <summary>How often a report racing its own double-click asks again for the result, as the API tells clients to.</summary>
    const int RetriesWhileRecording = 10;

    public PageForm Form { get; } = new("report");
    /// <summary>Made when the form is shown, so sending it twice (a double click, a resubmission) makes one case.</summary>
    public string IdempotencyKey { get; private set; } = NewKey();
    public CasePage? MyCases { get; private set; }
    public FieldErrors ListErrors { get; } = new();

    /// <summary>Read from the query string itself: Razor Pages keeps the route value "page" for the page's own name.</summary>
    public string? PageNumber => Request.Query["page"].FirstOrDefault();

    public async Task OnGetAsync() => await LoadMyCasesAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = Request.Form;
        Form.Keep(form);
        var key = form.Text(IdempotencyKeyField);
        var command = new ReportIncident(
            form.Text("specialty"), form.List("channels"), form.Text("concern"),
            form.Date("occurredOn", Form), form.Text("summary"), form.Text("patientReference"));

        CaseOutcome? outcome = null;
        if (!Form.Refused)
        {
            outcome = await reports.ReportAsync(HttpContext, key, command);
            for (var i = 0; i < RetriesWhileRecording && outcome is CaseOutcome.Conflict { Status: StatusCodes.Status409Conflict }; i++)
            {
                // The same form was sent twice at once and the first is still being recorded: ask again for its case.
                await Task.Delay(200, HttpContext.RequestAborted);
                outcome = await reports.ReportAsync(HttpContext, key, command);
            }

            switch (outcome)
            {
                case CaseOutcome.Recorded recorded:
                    return LocalRedirect($"/portal/cases/{recorded.CaseId}?done=reported");
                case CaseOutcome.Refused { Rejection.Errors: { } errors }:
                    Form.Refuse(errors, ReportFields);
                    break;
                case CaseOutcome.Refused refused:
                    Form.Refuse(refused.Rejection.Reason);
                    break;
                case CaseOutcome.Conflict conflict:
                    // This form was already used for a different report: the next send makes a new one.
                    Form.Refuse($"{conflict.Title} {conflict.Detail}");
                    break;
                default:
                    throw new InvalidOperationException($"A report cannot end as {outcome.GetType().Name}.");
            }
        }

        // Nothing was recorded under the key, so the corrected form keeps it; after a conflict it needs a new one.
        if (key is not null && outcome is not CaseOutcome.Conflict) IdempotencyKey = key;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadMyCasesAsync();
        return Page();
    }

    async Task LoadMyCasesAsync()
    {
        var query = CaseListQuery.Parse(ListErrors, status: null, PageNumber, pageSize: null, memberId: User.UserId());
        if (ListErrors.Any) return;
        await using var session = store.QuerySession(User.Tenant());
        MyCases = await session.ListCasesAsync(query.Filter, query.Page, query.PageSize, HttpContext.RequestAborted);
    }

    static string NewKey() => Guid.NewGuid().ToString("N");
}
