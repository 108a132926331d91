using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Defence.Api.Identity;

/// <summary>
/// The one place the tenant is resolved: from the validated token's <c>tid</c> through the registry.
/// A token from an unregistered identity tenant gets no tenant claim, and the TenantUser policy refuses it (403).
/// </summary>
public sealed class TenantClaimsTransformation(TenantRegistry registry) : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
            return Task.FromResult(principal);

        // A tenant claim inside the token itself is never trusted.
        foreach (var forged in identity.FindAll(ClaimNames.Tenant).ToArray())
            identity.RemoveClaim(forged);

        if (registry.TenantFor(principal.FindFirstValue(ClaimNames.EntraTenant)) is { } tenant)
            identity.AddClaim(new Claim(ClaimNames.Tenant, tenant));

        return Task.FromResult(principal);
    }
}
