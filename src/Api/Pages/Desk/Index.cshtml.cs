using Defence.Api.Cases.Listing;
using Defence.Api.Identity;
using Defence.Domain.Rules;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages.Desk;

/// <summary>The adviser's case list: the filters and paging of <c>GET /api/cases</c>, read by the same query.</summary>
[AllowRoles(Roles.Adviser, Roles.TenantAdmin)]
public sealed class IndexModel(IDocumentStore store) : PageModel
{
    public static readonly string[] FilterFields = ["status", "specialty", "channel", "concern", "assignedTo", "page", "pageSize"];

    public PageForm Filters { get; } = new("filter");
    public CasePage? Cases { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Specialty { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public string? Concern { get; set; }
    [BindProperty(SupportsGet = true)] public string? AssignedTo { get; set; }
    /// <summary>Read from the query string itself: Razor Pages keeps the route value "page" for the page's own name.</summary>
    public string? PageNumber => Request.Query["page"].FirstOrDefault();
    [BindProperty(SupportsGet = true)] public string? PageSize { get; set; }

    public IReadOnlyList<KeyValuePair<string, string?>> Query =>
    [
        new("status", Status), new("specialty", Specialty), new("channel", Channel), new("concern", Concern),
        new("assignedTo", AssignedTo), new("pageSize", PageSize),
    ];

    public async Task OnGetAsync()
    {
        // The filter form shows the filters as the query string has them.
        Filters.Keep(new FormCollection(Request.Query.ToDictionary()));
        var errors = new FieldErrors();
        var query = CaseListQuery.Parse(errors, Status, PageNumber, PageSize, Specialty, Channel, Concern, AssignedTo);
        if (errors.Any)
        {
            Filters.Refuse(errors, FilterFields);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        await using var session = store.QuerySession(User.Tenant());
        Cases = await session.ListCasesAsync(query.Filter, query.Page, query.PageSize, HttpContext.RequestAborted);
    }
}
