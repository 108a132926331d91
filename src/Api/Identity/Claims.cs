using System.Security.Claims;

namespace Defence.Api.Identity;

/// <summary>The claim names Entra ID issues (docs/http-api.md, "Identity and access"), plus the product tenant we add.</summary>
public static class ClaimNames
{
    public const string EntraTenant = "tid";
    public const string UserId = "oid";
    public const string Roles = "roles";
    public const string Name = "name";
    /// <summary>The product tenant key, added by <see cref="TenantClaimsTransformation"/>; never taken from the token.</summary>
    public const string Tenant = "defence_tenant";
}

public static class Roles
{
    public const string Member = "Member";
    public const string Adviser = "Adviser";
    public const string Analyst = "Analyst";
    public const string TenantAdmin = "TenantAdmin";

    /// <summary>The four app roles, as Entra ID's <c>roles</c> claim spells them.</summary>
    public static readonly IReadOnlyList<string> All = [Member, Adviser, Analyst, TenantAdmin];

    /// <summary>The app role named <paramref name="name"/> in any letter case, spelt as the claim must be; null if none.</summary>
    public static string? Canonical(string name) => All.FirstOrDefault(r => r.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The user's id (<c>oid</c>). The authorization policy guarantees it is a GUID before any endpoint runs.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimNames.UserId), out var id)
            ? id
            : throw new InvalidOperationException("The user has no oid claim; the TenantUser policy should have refused the request.");

    public static string Tenant(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimNames.Tenant)
        ?? throw new InvalidOperationException("The user has no tenant; the TenantUser policy should have refused the request.");

    /// <summary>Staff who may read every case of their tenant.</summary>
    public static bool IsCaseStaff(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Adviser) || user.IsInRole(Roles.TenantAdmin);
}
