using Defence.Api.Cases;
using Defence.Api.Cases.Reading;
using Defence.Api.Identity;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages;

/// <summary>
/// A page of one case with forms for its commands. Each form sends the version the person saw; the use case (the
/// API's own) decides, and this page only shows what came of it: back to the case on success, the case as it is
/// now when someone else changed it first, the domain's messages beside the fields, or not found.
/// </summary>
public abstract class CasePageModel(IDocumentStore store) : PageModel
{
    public const string VersionField = "version";

    public CaseView? Case { get; private set; }
    public const string StaleMessage = "Someone else changed this case while you had it open, so nothing was saved. " +
        "The case below is as it is now; what you typed is still in the form, to check and send again.";
    /// <summary>What the last command recorded, from the redirect after it (<c>?done=</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "done")] public string? Done { get; set; }

    protected abstract string PathOf(Guid id);

    protected async Task<IActionResult> ShowAsync(Guid id)
    {
        Case = await FindAsync(id);
        return Case is null ? Missing() : Page();
    }

    protected async Task<IActionResult> RunAsync(Guid id, PageForm form, IReadOnlyCollection<string> fields, string done,
        Func<IfMatch, Task<CaseOutcome>> run)
    {
        form.Keep(Request.Form);
        var expected = long.TryParse(Request.Form[VersionField], System.Globalization.NumberStyles.None, null, out var version)
            ? IfMatch.Version(version)
            : IfMatch.Parse("unreadable"); // the use case answers that the version is missing
        // A value the form could not read (a date typed wrong) is already named on its field: nothing to send.
        var outcome = form.Refused ? null : await run(expected);

        int status;
        switch (outcome)
        {
            case null:
                status = StatusCodes.Status400BadRequest;
                break;
            case CaseOutcome.Recorded:
                return LocalRedirect($"{PathOf(id)}?done={done}");
            case CaseOutcome.NotFound:
                return Missing();
            case CaseOutcome.Stale:
                form.Refuse(StaleMessage);
                status = StatusCodes.Status409Conflict;
                break;
            case CaseOutcome.Refused { Rejection.Errors: { } errors }:
                form.Refuse(errors, fields);
                status = StatusCodes.Status400BadRequest;
                break;
            case CaseOutcome.Refused refused:
                form.Refuse(refused.Rejection.Reason);
                status = StatusCodes.Status409Conflict;
                break;
            case CaseOutcome.Conflict conflict:
                form.Refuse($"{conflict.Title} {conflict.Detail}");
                status = conflict.Status;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome.GetType().Name, null);
        }

        Case = await FindAsync(id);
        if (Case is null) return Missing();
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>The same answer whether the case does not exist, is another tenant's, or is another member's.</summary>
    protected IActionResult Missing()
    {
        Case = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    async Task<CaseView?> FindAsync(Guid id)
    {
        await using var session = store.QuerySession(User.Tenant());
        return await session.FindCaseAsync(User, id, HttpContext.RequestAborted);
    }
}
