using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Defence.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Defence.Api.Tests.Pages;

/// <summary>What every page must pass, checked on each page a walk reaches.</summary>
public static class PageChecks
{
    public const string Xss = "<img src=x onerror=alert(1)>";

    /// <summary>No serious or critical accessibility violation (axe-core).</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var violations = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}) on {new Uri(page.Url).AbsolutePath}: {v.Help}; {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
        Assert.Empty(violations);
    }

    /// <summary>Every form that posts carries an anti-forgery token.</summary>
    public static async Task AssertFormsCarryAntiforgeryTokensAsync(IPage page)
    {
        var posting = await page.Locator("form[method=post]").CountAsync();
        var protectedForms = await page.Locator("form[method=post]:has(input[name=__antiforgery])").CountAsync();
        Assert.Equal(posting, protectedForms);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(Repository.Root, "docs", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    /// <summary>Screenshots at a desktop's and a phone's width, back at the page's own width after.</summary>
    public static async Task ScreenshotsAsync(IPage page, string name)
    {
        var original = page.ViewportSize!;
        foreach (var width in new[] { 1280, 375 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await ScreenshotAsync(page, $"{name}-{width}");
        }
        await page.SetViewportSizeAsync(original.Width, original.Height);
    }
}
