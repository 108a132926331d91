using Defence.Api.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages;

/// <summary>The start page: links to what the signed-in user's roles open.</summary>
[AllowRoles(Roles.Member, Roles.Adviser, Roles.Analyst, Roles.TenantAdmin)]
public sealed class IndexModel : PageModel
{
    public void OnGet() { }
}
