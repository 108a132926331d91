using Microsoft.AspNetCore.Authorization;

namespace Defence.Api.Identity;

/// <summary>
/// Names the roles that may call an endpoint. Always combined with the <see cref="Policies.TenantUser"/>
/// policy, so a right role from an unregistered tenant is still refused.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AllowRolesAttribute : AuthorizeAttribute
{
    public AllowRolesAttribute(params string[] roles)
    {
        if (roles.Length == 0) throw new ArgumentException("Name at least one role.", nameof(roles));
        Policy = Policies.TenantUser;
        Roles = string.Join(',', roles);
    }
}

public static class Policies
{
    /// <summary>An authenticated user with a GUID <c>oid</c> whose <c>tid</c> is in the tenant registry.</summary>
    public const string TenantUser = "TenantUser";

    public static AuthorizationPolicy TenantUserPolicy { get; } = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireClaim(ClaimNames.Tenant)
        .RequireAssertion(c => Guid.TryParse(c.User.FindFirst(ClaimNames.UserId)?.Value, out _))
        .Build();
}
