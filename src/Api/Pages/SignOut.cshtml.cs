using Defence.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Defence.Api.Pages;

/// <summary>Ends the page session (a POST, so another site cannot sign people out); with Entra ID, there too.</summary>
[AllowAnonymous]
public sealed class SignOutModel(IConfiguration configuration) : PageModel
{
    public void OnGet() { }

    public IActionResult OnPost()
    {
        var properties = new AuthenticationProperties { RedirectUri = PageSignIn.SignOutPath };
        return IdentitySetup.ChooseTokenValidation(configuration) == TokenValidation.Entra
            ? SignOut(properties, PageSignIn.CookieScheme, PageSignIn.OpenIdConnectScheme)
            : SignOut(properties, PageSignIn.CookieScheme);
    }
}
