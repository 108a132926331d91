using System.Net;

namespace Defence.Api.Pages;

/// <summary>The small HTML answer for a refusal the authentication layer gives before any page runs (403).</summary>
public static class PageErrors
{
    public static async Task WriteAsync(HttpContext http, HttpStatusCode status)
    {
        http.Response.StatusCode = (int)status;
        http.Response.ContentType = "text/html; charset=utf-8";
        var (title, text) = status == HttpStatusCode.Forbidden
            ? ("You cannot open this page", "Your account does not have the role this page needs. If you think it should, ask your organisation's administrator.")
            : ("Something went wrong", "Try again later.");
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} – Defence</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><header class="site"><div class="wrap"><a class="brand" href="/">Defence</a></div></header>
            <main id="main" class="wrap"><h1>{title}</h1><p>{text}</p><p><a href="/">Go to the start page</a></p></main></body>
            </html>
            """);
    }
}
