namespace Defence.Api.Pages;

/// <summary>The server-rendered pages for members and advisers, served beside the API by the same host.</summary>
public static class PageSetup
{
    public static IServiceCollection AddDefencePages(this IServiceCollection services)
    {
        services.AddRazorPages();
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
