using System.Net.Http.Json;
using Defence.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Defence.Api.Tests.Pages;

/// <summary>axe-core on every page (also with the server's messages showing), and the report sent with the keyboard alone.</summary>
[Collection(PagesCollection.Name)]
public sealed class AccessibilityTests(PagesFixture pages)
{
    /// <summary>At a phone's width, where layouts break first; the walk's screenshots show the desktop width.</summary>
    [Fact]
    public async Task every_page_has_no_serious_or_critical_accessibility_violation()
    {
        const int width = 375;
        var member = TestUser.Member();
        var caseId = await ReportAsync(member);

        var page = await pages.NewPageAsync(width);
        await page.GotoAsync("/dev/sign-in");
        await PageChecks.AssertAccessibleAsync(page);
        await PagesFixture.SignInAsync(page, member, "/portal");
        await PageChecks.AssertAccessibleAsync(page);
        // The report form refused, with its error summary and the messages beside the fields.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#report-summary-error")).ToContainTextAsync("Required");
        await PageChecks.AssertAccessibleAsync(page);
        await page.GotoAsync($"/portal/cases/{caseId}");
        await PageChecks.AssertAccessibleAsync(page);

        var desk = await pages.NewPageAsync(width);
        await PagesFixture.SignInAsync(desk, TestUser.Adviser(), "/desk");
        await PageChecks.AssertAccessibleAsync(desk);
        await desk.GotoAsync($"/desk/cases/{caseId}");
        foreach (var summary in await desk.Locator("details.command summary").AllAsync()) await summary.ClickAsync();
        await PageChecks.AssertAccessibleAsync(desk);
        await desk.GotoAsync("/");
        await PageChecks.AssertAccessibleAsync(desk);
    }

    [Fact]
    public async Task a_member_can_send_a_report_with_the_keyboard_alone()
    {
        var page = await pages.NewPageAsync(375);
        await PagesFixture.SignInAsync(page, TestUser.Member(), "/portal");

        await TabToAsync(page, "report-specialty");
        await page.Keyboard.TypeAsync("Psych");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space"); // Facebook
        await TabToAsync(page, "report-concern");
        await page.Keyboard.TypeAsync("Harass");
        await TabToAsync(page, "report-summary");
        await page.Keyboard.TypeAsync("Messages every night on Facebook.");
        await TabToAsync(page, null, "Send the report");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/portal/cases/*?done=reported");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Harassment");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Facebook");
    }

    /// <summary>Presses Tab until the element with this id (or the button with this text) has the focus.</summary>
    static async Task TabToAsync(IPage page, string? id, string? buttonText = null)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string[]>("() => [document.activeElement.id, document.activeElement.textContent]");
            if (id is not null ? focused[0] == id : focused[1]?.Trim() == buttonText) return;
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {id ?? buttonText}.");
    }

    async Task<Guid> ReportAsync(TestUser member)
    {
        var response = await pages.Api(member).PostAsJsonAsync("/api/reports", CaseApi.Report(summary: $"Flowers again. {PageChecks.Xss}"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CaseCommandResult>())!.CaseId;
    }

    sealed record CaseCommandResult(Guid CaseId, long Version);
}
