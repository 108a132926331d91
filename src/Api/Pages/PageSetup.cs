namespace Defence.Api.Pages;

/// <summary>The server-rendered pages for members and advisers, served beside the API by the same host.</summary>
public static class PageSetup
{
    public static IServiceCollection AddDefencePages(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddRazorPages(options =>
        {
            // The development sign-in exists only in Development: elsewhere it has no route at all (404).
            if (!environment.IsDevelopment())
                options.Conventions.AddPageRouteModelConvention("/Dev/SignIn", page => page.Selectors.Clear());
        });
        services.AddSingleton<PageClock>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "defence.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__antiforgery";
        });
        return services;
    }
}
