using Defence.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages;

/// <summary>
/// Where a signed-out visitor is sent. With Entra ID configured, starts its OpenID Connect sign-in and comes back to
/// the page asked for; in Development without it, goes to /dev/sign-in; a refused sign-in ends here with 403.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(IConfiguration configuration, IWebHostEnvironment environment) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true, Name = "refused")] public string? RefusedFlag { get; set; }

    public bool Refused => RefusedFlag is not null;

    public IActionResult OnGet()
    {
        var returnUrl = PageSignIn.LocalReturnUrl(ReturnUrl) ?? "/";
        if (Refused)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        if (IdentitySetup.ChooseTokenValidation(configuration) == TokenValidation.Entra)
            return Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, PageSignIn.OpenIdConnectScheme);
        if (environment.IsDevelopment())
            return LocalRedirect($"{PageSignIn.DevelopmentSignInPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
