using Defence.Api.Identity;

namespace Defence.Api.Pages;

/// <summary>
/// Headers on every page and static file: a Content-Security-Policy that runs no script at all (the pages need none)
/// and loads nothing from outside the deployment, and the usual framing and sniffing guards. Swagger UI, which
/// needs its own inline script, is left out.
/// </summary>
public static class PageSecurity
{
    public static string ContentSecurityPolicy(IConfiguration configuration)
    {
        // Signing out of Entra ID posts to /sign-out, which redirects to the identity provider: allow that one origin.
        var formAction = "'self'";
        if (IdentitySetup.ChooseTokenValidation(configuration) == TokenValidation.Entra
            && Uri.TryCreate(configuration[$"{IdentitySetup.EntraSection}:Instance"], UriKind.Absolute, out var instance))
            formAction += " " + instance.GetLeftPart(UriPartial.Authority);
        return $"default-src 'none'; style-src 'self'; img-src 'self'; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
    }

    public static IApplicationBuilder UsePageSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var policy = ContentSecurityPolicy(configuration);
        return app.Use(async (http, next) =>
        {
            var path = http.Request.Path;
            if (!PageSignIn.IsApi(path) && !path.StartsWithSegments("/swagger"))
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
            }
            await next(http);
        });
    }
}
