using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Defence.Api.Identity;

public static class IdentitySetup
{
    public const string BearerSection = "Authentication:Schemes:Bearer";

    /// <summary>
    /// Token validation from the standard <c>Authentication:Schemes:Bearer</c> configuration (what
    /// <c>dotnet user-jwts</c> writes), the tenant registry, and deny-by-default authorization.
    /// Refuses to start, saying what to set, when no token validation or no tenant is configured.
    /// </summary>
    public static IServiceCollection AddDefenceIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var bearer = configuration.GetSection(BearerSection);
        if (!bearer.GetSection("SigningKeys").GetChildren().Any() || string.IsNullOrWhiteSpace(bearer["ValidIssuer"]))
            throw new InvalidOperationException(
                $"No token validation is configured. Set {BearerSection}:ValidIssuer, {BearerSection}:ValidAudiences:0 and " +
                $"{BearerSection}:SigningKeys:0:Issuer / :Value (a base64 symmetric key), for example with 'dotnet user-jwts', " +
                "or run in the Development environment, whose appsettings.Development.json carries a throwaway key.");

        var tenants = configuration.GetSection("Tenants");
        if (!tenants.GetChildren().Any(t => t.GetSection("EntraTenantIds").GetChildren().Any()))
            throw new InvalidOperationException(
                "No tenant is configured. Set Tenants:<key>:EntraTenantIds:0 to the Entra tenant id (tid) of each MDO's users, e.g. Tenants:mdu:EntraTenantIds:0.");

        services.Configure<Dictionary<string, TenantOptions>>(tenants);
        services.AddSingleton<TenantRegistry>();
        services.AddTransient<IClaimsTransformation, TenantClaimsTransformation>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                // Keep Entra's claim names (oid, tid, roles) rather than the legacy SOAP URIs.
                options.MapInboundClaims = false;
                options.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
                options.TokenValidationParameters.NameClaimType = ClaimNames.Name;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.TenantUser, Policies.TenantUserPolicy)
            // Deny by default: an endpoint that names no roles is still closed to anyone without a tenant.
            .SetFallbackPolicy(Policies.TenantUserPolicy);

        return services;
    }
}
