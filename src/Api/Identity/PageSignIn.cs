using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Defence.Api.Pages;

namespace Defence.Api.Identity;

/// <summary>
/// How people sign in to the pages: a cookie, filled by Entra ID's OpenID Connect sign-in (or, in Development only,
/// by /dev/sign-in). The cookie never authenticates <c>/api</c>: requests there are bound to bearer tokens, so a page
/// on another site cannot make a signed-in browser call the API (no cross-site request forgery).
/// </summary>
public static class PageSignIn
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OpenIdConnectScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>The default scheme: forwards <c>/api</c> to the bearer scheme and everything else to the cookie.</summary>
    public const string BearerForApiCookieForPages = "BearerForApiCookieForPages";

    public const string CookieName = "defence.session";
    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";
    public const string DevelopmentSignInPath = "/dev/sign-in";
    /// <summary>Where a refused OpenID Connect sign-in ends (an unregistered organisation, a failed answer).</summary>
    public const string RefusedPath = "/sign-in?refused=1";
    static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api");

    internal static void AddPageSignIn(this AuthenticationBuilder authentication, TokenValidation validation)
    {
        authentication.AddPolicyScheme(BearerForApiCookieForPages, "Bearer tokens for /api, the sign-in cookie for pages", options =>
            options.ForwardDefaultSelector = http => IsApi(http.Request.Path) ? JwtBearerDefaults.AuthenticationScheme : CookieScheme);

        var services = authentication.Services;
        services.Configure<CookieAuthenticationOptions>(CookieScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = SessionLifetime;
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            // A signed-in user without the page's role is answered 403 where they asked, not sent elsewhere.
            options.Events.OnRedirectToAccessDenied = context => PageErrors.WriteAsync(context.HttpContext, HttpStatusCode.Forbidden);
        });

        if (validation == TokenValidation.Entra)
            services.AddOptions<OpenIdConnectOptions>(OpenIdConnectScheme).PostConfigure<IConfiguration>((options, configuration) =>
            {
                // The authorization code flow (with PKCE): no token passes through the browser; the code is redeemed
                // with the app registration's client secret (AzureAd:ClientSecret).
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                options.ClientSecret ??= configuration[$"{IdentitySetup.EntraSection}:ClientSecret"];
                // Entra's claim names (oid, tid, roles, name), as for tokens.
                options.MapInboundClaims = false;
                // Identity.Web gives the options a token handler of its own, made before this runs.
                if (options.TokenHandler is JsonWebTokenHandler handler) handler.MapInboundClaims = false;
                options.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
                options.TokenValidationParameters.NameClaimType = ClaimNames.Name;
                options.SignInScheme = CookieScheme;

                var validated = options.Events.OnTokenValidated;
                options.Events.OnTokenValidated = async context =>
                {
                    await validated(context);
                    if (context.Result is { Failure: not null }) return;
                    // The same registry and rules as for tokens: a sign-in from an unregistered organisation gets no cookie.
                    var registry = context.HttpContext.RequestServices.GetRequiredService<TenantRegistry>();
                    var principal = context.Principal;
                    if (registry.TenantFor(principal?.FindFirstValue(ClaimNames.EntraTenant)) is null
                        || !Guid.TryParse(principal?.FindFirstValue(ClaimNames.UserId), out _))
                        context.Fail("The user's organisation (tid) is not registered with this service.");
                };
                options.Events.OnRemoteFailure = context =>
                {
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PageSignIn))
                        .LogWarning("A sign-in was refused: {Reason}", context.Failure?.Message);
                    context.Response.Redirect(RefusedPath);
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
    }

    /// <summary>A local path to return to after signing in, or null for anything else (no open redirect).</summary>
    public static string? LocalReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : null;

    /// <summary>Where a user goes first: members to the portal, case staff to the desk, anyone else to the start page.</summary>
    public static string HomeOf(ClaimsPrincipal user) =>
        user.IsCaseStaff() ? "/desk" : user.IsInRole(Roles.Member) ? "/portal" : "/";
}
