using System.Security.Claims;
using Defence.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages.Dev;

/// <summary>
/// Signs in a demo user in the Development environment only (PageSetup maps it nowhere else): the claims Entra ID would give
/// (tid of the chosen tenant, oid, roles, name), so the same tenant registry and roles apply as for real users.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(IConfiguration configuration) : PageModel
{
    public static readonly string[] AllRoles = [Roles.Member, Roles.Adviser, Roles.Analyst, Roles.TenantAdmin];

    public PageForm Form { get; } = new("signin");
    public IReadOnlyList<string> Tenants { get; private set; } = [];
    public IReadOnlyList<string> RoleChoices => AllRoles;

    [BindProperty(SupportsGet = true)] public string? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(Name = "user", SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public IActionResult OnGet()
    {
        Tenants = TenantIds().Keys.ToArray();
        UserId ??= Guid.NewGuid().ToString();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var tenants = TenantIds();
        Tenants = tenants.Keys.ToArray();
        Form.Keep(Request.Form);

        string? tid = null;
        if (Tenant is null || !tenants.TryGetValue(Tenant, out tid)) Form.RefuseField("tenant", "Choose a configured tenant.");
        if (Role is null || !AllRoles.Contains(Role)) Form.RefuseField("role", "Choose a role.");
        if (!Guid.TryParse(UserId, out var userId) || userId == Guid.Empty) Form.RefuseField("user", "Enter a user id (a GUID).");
        if (Form.Refused)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimNames.EntraTenant, tid!),
                new Claim(ClaimNames.UserId, userId.ToString()),
                new Claim(ClaimNames.Roles, Role!),
                new Claim(ClaimNames.Name, $"{Role} {userId.ToString()[..8]} (development)"),
            ],
            "development", ClaimNames.Name, ClaimNames.Roles);
        var principal = new ClaimsPrincipal(identity);
        await HttpContext.SignInAsync(PageSignIn.CookieScheme, principal);
        return LocalRedirect(PageSignIn.LocalReturnUrl(ReturnUrl) ?? PageSignIn.HomeOf(principal));
    }

    /// <summary>Each configured tenant with the first identity tenant (tid) its users sign in from.</summary>
    Dictionary<string, string> TenantIds() =>
        configuration.GetSection("Tenants").GetChildren()
            .Select(t => (t.Key, Tid: t.GetSection("EntraTenantIds").GetChildren().FirstOrDefault()?.Value))
            .Where(t => t.Tid is not null)
            .ToDictionary(t => t.Key, t => t.Tid!);
}
