using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace Defence.Api.Identity;

/// <summary>Where the API's tokens are validated: Entra ID in production, a development key locally.</summary>
public enum TokenValidation
{
    /// <summary>Microsoft.Identity.Web against Entra ID (configuration section <c>AzureAd</c>).</summary>
    Entra,
    /// <summary>The standard <c>Authentication:Schemes:Bearer</c> section with a symmetric key (local use and tests).</summary>
    DevelopmentKey,
}

public static class IdentitySetup
{
    public const string BearerSection = "Authentication:Schemes:Bearer";
    public const string EntraSection = "AzureAd";

    /// <summary>
    /// Token validation (Entra ID through Microsoft.Identity.Web when <c>AzureAd:ClientId</c> is set, else the
    /// development key of <c>Authentication:Schemes:Bearer</c>), the tenant registry, and deny-by-default
    /// authorization. Refuses to start, saying what to set, when no token validation or no tenant is configured.
    /// </summary>
    public static IServiceCollection AddDefenceIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var validation = ChooseTokenValidation(configuration);

        var tenants = configuration.GetSection("Tenants");
        if (!tenants.GetChildren().Any(t => t.GetSection("EntraTenantIds").GetChildren().Any()))
            throw new InvalidOperationException(
                "No tenant is configured. Set Tenants:<key>:EntraTenantIds:0 to the Entra tenant id (tid) of each MDO's users, e.g. Tenants:mdu:EntraTenantIds:0.");

        services.Configure<Dictionary<string, TenantOptions>>(tenants);
        services.AddSingleton<TenantRegistry>();
        services.AddTransient<IClaimsTransformation, TenantClaimsTransformation>();

        // /api is bound to bearer tokens and the pages to the sign-in cookie, by path (PageSignIn.BearerForApiCookieForPages).
        var authentication = services.AddAuthentication(PageSignIn.BearerForApiCookieForPages);
        if (validation == TokenValidation.Entra)
        {
            // Signature (keys from the authority's discovery document), issuer (Entra's multi-tenant issuer
            // check), audience, lifetime and the presence of roles or scopes are all the library's.
            authentication.AddMicrosoftIdentityWebApi(configuration, EntraSection, JwtBearerDefaults.AuthenticationScheme);
            // The pages' sign-in: OpenID Connect (authorization code flow) into the cookie, from the same section.
            authentication.AddMicrosoftIdentityWebApp(configuration, EntraSection,
                PageSignIn.OpenIdConnectScheme, PageSignIn.CookieScheme);
        }
        else
        {
            authentication.AddJwtBearer(); // binds Authentication:Schemes:Bearer, what 'dotnet user-jwts' writes
            authentication.AddCookie(PageSignIn.CookieScheme); // filled only by /dev/sign-in, in Development
            // Only where the development key validates tokens: nothing else could use what it mints.
            services.AddSingleton<DevelopmentTokens>();
        }
        authentication.AddPageSignIn(validation);

        // Registered after the library's own configuration, so it wins in both modes.
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            // Keep Entra's claim names (oid, tid, roles) rather than the legacy SOAP URIs.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
            options.TokenValidationParameters.NameClaimType = ClaimNames.Name;
        });

        // After every library's own configuration, whatever handlers it chose: each token is validated fully once (ValidatedTokens).
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure(options =>
        {
            // The configured keys come as a lazy sequence that reads the configuration and makes new key objects on every
            // request; read once per options instance instead (a configuration reload builds new options, so new keys apply).
            if (options.TokenValidationParameters.IssuerSigningKeys is { } keys)
                options.TokenValidationParameters.IssuerSigningKeys = keys.ToArray();
            var handlers = options.TokenHandlers.ToList();
            options.TokenHandlers.Clear();
            foreach (var handler in handlers) options.TokenHandlers.Add(new ValidatedTokens(handler));
        });

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RefusalProblems>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.TenantUser, Policies.TenantUserPolicy)
            // Deny by default: an endpoint that names no roles is still closed to anyone without a tenant.
            .SetFallbackPolicy(Policies.TenantUserPolicy);

        return services;
    }

    /// <summary>
    /// Builds the token validation (and page sign-in) options once at start-up, so a wrong <c>AzureAd</c> section stops the API
    /// with the library's message instead of failing every request.
    /// </summary>
    public static void ValidateIdentityConfiguration(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        // The pages' sign-in too: its handler is asked about every request (is this its callback?), so a wrong
        // option would otherwise fail every request, /api included.
        if (ChooseTokenValidation(services.GetRequiredService<IConfiguration>()) == TokenValidation.Entra)
            _ = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(PageSignIn.OpenIdConnectScheme);
    }

    public static TokenValidation ChooseTokenValidation(IConfiguration configuration)
    {
        var entra = configuration.GetSection(EntraSection);
        var bearer = configuration.GetSection(BearerSection);

        if (!string.IsNullOrWhiteSpace(entra["ClientId"]))
        {
            // Both would configure the same "Bearer" scheme: ASP.NET Core binds Authentication:Schemes:Bearer
            // onto it as well, and the development key would then validate tokens beside Entra's.
            if (bearer.GetChildren().Any())
                throw new InvalidOperationException(
                    $"Both {EntraSection}:ClientId and {BearerSection} are configured. Production validates tokens with Entra ID " +
                    $"({EntraSection}) only: remove the {BearerSection} settings (the development key, which " +
                    "appsettings.Development.json carries in the Development environment), or unset AzureAd:ClientId.");

            var authority = !string.IsNullOrWhiteSpace(entra["Authority"])
                || (!string.IsNullOrWhiteSpace(entra["Instance"]) && !string.IsNullOrWhiteSpace(entra["TenantId"]));
            if (!authority)
                throw new InvalidOperationException(
                    $"{EntraSection}:ClientId is set but not where tokens come from. Set {EntraSection}:Instance " +
                    $"(https://login.microsoftonline.com/) and {EntraSection}:TenantId (organizations, for the multi-tenant app).");
            return TokenValidation.Entra;
        }

        if (!bearer.GetSection("SigningKeys").GetChildren().Any() || string.IsNullOrWhiteSpace(bearer["ValidIssuer"]))
            throw new InvalidOperationException(
                "No token validation is configured. In production set the Entra ID app registration: " +
                $"{EntraSection}:Instance (https://login.microsoftonline.com/), {EntraSection}:TenantId (organizations), " +
                $"{EntraSection}:ClientId and {EntraSection}:Audience. For local use set {BearerSection}:ValidIssuer, " +
                $"{BearerSection}:ValidAudiences:0 and {BearerSection}:SigningKeys:0:Issuer / :Value (a base64 symmetric key), " +
                "for example with 'dotnet user-jwts', or run in the Development environment, whose appsettings.Development.json " +
                "carries a throwaway key.");
        return TokenValidation.DevelopmentKey;
    }
}
