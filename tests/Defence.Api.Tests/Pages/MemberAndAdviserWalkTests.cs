using System.Net;
using System.Net.Http.Json;
using Defence.Api.Tests.Infrastructure;
using Defence.Domain.Cases;
using Defence.Projections.Cases;
using Microsoft.Playwright;

namespace Defence.Api.Tests.Pages;

/// <summary>The pages in a real browser: a member and an adviser working one case from report to advice.</summary>
[Collection(PagesCollection.Name)]
public sealed class MemberAndAdviserWalkTests(PagesFixture pages)
{
    [Fact]
    public async Task a_member_reports_an_adviser_assigns_and_advises_and_the_member_reads_the_advice_and_logs_a_contact()
    {
        var member = TestUser.Member();
        var adviser = TestUser.Adviser();

        // The member, on a phone, without JavaScript: the pages need none.
        var phone = await pages.NewPageAsync(width: 375, javaScript: false);
        var requests = new List<string>();
        phone.Request += (_, request) => requests.Add(request.Url);
        await PagesFixture.SignInAsync(phone, member, "/portal");
        await PageChecks.ScreenshotsAsync(phone, "report-form");
        await PageChecks.AssertFormsCarryAntiforgeryTokensAsync(phone);

        await phone.GetByLabel("Your specialty").SelectOptionAsync("general-practice");
        await phone.GetByLabel("Facebook").CheckAsync();
        await phone.GetByLabel("Text message").CheckAsync();
        await phone.GetByLabel("What are you worried about?").SelectOptionAsync("amorous-advances");
        await phone.GetByLabel("When did it happen?").FillAsync("2026-01-05");
        await phone.GetByLabel("What happened?").FillAsync($"Repeated friend requests and gifts. {PageChecks.Xss}");
        await phone.GetByLabel("The patient's initials and year of birth (optional)").FillAsync("JS 1984");
        // Pressed twice: the form's idempotency key makes one case whatever reaches the server.
        await phone.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).DblClickAsync();
        await phone.WaitForURLAsync("**/portal/cases/*?done=reported");
        var caseId = Guid.Parse(new Uri(phone.Url).Segments[^1]);

        await using (var session = pages.Store.QuerySession(ApiFixture.Mdu))
            Assert.Equal(1, (await session.ListCasesAsync(new CaseListFilter(MemberId: member.Id), 1, 10, default)).Total);
        Assert.Equal(PageChecks.Xss, (await phone.Locator("dd.text").First.TextContentAsync())!.Split(". ")[1]);
        Assert.Equal(0, await phone.Locator("main img").CountAsync());

        await phone.GotoAsync("/portal");
        var row = phone.Locator($"a[href='/portal/cases/{caseId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("table.cases")).ToContainTextAsync("Open");
        await PageChecks.ScreenshotsAsync(phone, "my-cases");

        // The adviser, at a desk, opens it from the list, takes it and gives advice.
        var desk = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(desk, adviser, "/desk");
        await desk.Locator($"a[href='/desk/cases/{caseId}']").ClickAsync();
        await Assertions.Expect(desk.Locator("main")).ToContainTextAsync(PageChecks.Xss);
        Assert.Equal(0, await desk.Locator("main img").CountAsync());
        await PageChecks.AssertFormsCarryAntiforgeryTokensAsync(desk);

        await desk.Locator("summary", new() { HasText = "Assign" }).ClickAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.Locator(".notice")).ToContainTextAsync("the case is assigned");

        await desk.Locator("summary", new() { HasText = "Give advice" }).ClickAsync();
        await desk.GetByLabel("Keep a log of all calls and contacts").CheckAsync();
        await desk.GetByLabel("Don't reply to social media messages from the patient").CheckAsync();
        await desk.GetByLabel("Your advice").FillAsync("Do not accept the friend requests; move the patient's care to a colleague.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Give the advice" }).ClickAsync();
        await Assertions.Expect(desk.Locator(".notice")).ToContainTextAsync("the advice is recorded");
        await Assertions.Expect(desk.Locator("table.timeline")).ToContainTextAsync("Advice given");
        await PageChecks.ScreenshotsAsync(desk, "desk-case");

        // The member reads the advice in plain words and logs a further contact.
        await phone.GotoAsync($"/portal/cases/{caseId}");
        await Assertions.Expect(phone.Locator("section.advice")).ToContainTextAsync("Keep a log of all calls and contacts");
        await Assertions.Expect(phone.Locator("section.advice")).ToContainTextAsync("move the patient's care to a colleague");
        await phone.GetByLabel("How did the patient contact you?").SelectOptionAsync("letter");
        await phone.GetByLabel("What happened?").FillAsync("A letter at the surgery.");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Log the contact" }).ClickAsync();
        await Assertions.Expect(phone.Locator(".notice")).ToContainTextAsync("added to your log");
        await Assertions.Expect(phone.Locator("#contacts + p + ol")).ToContainTextAsync("A letter at the surgery.");

        var events = await pages.EventsOf(ApiFixture.Mdu, caseId);
        Assert.Equal(
            [typeof(ReportReceived), typeof(CaseAssigned), typeof(AdviceGiven), typeof(ContactLogged)],
            events.Select(e => e.EventType));
        // Nothing the member's browser asked for came from outside the deployment.
        Assert.All(requests, url => Assert.StartsWith(pages.BaseUrl, url));
    }

    [Fact]
    public async Task two_advisers_giving_advice_on_the_same_version_write_one_event_and_the_second_is_told_the_case_changed()
    {
        var caseId = await ReportAsync(TestUser.Member());
        var first = await pages.NewPageAsync();
        var second = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(first, TestUser.Adviser(), $"/desk/cases/{caseId}");
        await PagesFixture.SignInAsync(second, TestUser.Adviser(), $"/desk/cases/{caseId}");

        foreach (var (page, words) in new[] { (first, "First adviser's advice."), (second, "Second adviser's advice.") })
        {
            await page.Locator("summary", new() { HasText = "Give advice" }).ClickAsync();
            await page.GetByLabel("Your advice").FillAsync(words);
        }
        await first.GetByRole(AriaRole.Button, new() { Name = "Give the advice" }).ClickAsync();
        await Assertions.Expect(first.Locator(".notice")).ToContainTextAsync("the advice is recorded");
        var answer = await second.RunAndWaitForResponseAsync(
            () => second.GetByRole(AriaRole.Button, new() { Name = "Give the advice" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.Conflict, answer.Status);
        await Assertions.Expect(second.Locator(".error-summary")).ToContainTextAsync("Someone else changed this case");
        await Assertions.Expect(second.Locator("section.advice")).ToContainTextAsync("First adviser's advice.");
        await Assertions.Expect(second.GetByLabel("Your advice")).ToHaveValueAsync("Second adviser's advice.");
        Assert.Single(await pages.EventsOf(ApiFixture.Mdu, caseId), e => e.EventType == typeof(AdviceGiven));
    }

    async Task<Guid> ReportAsync(TestUser member)
    {
        var response = await pages.Api(member).PostAsJsonAsync("/api/reports", CaseApi.Report());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CaseCommandResult>())!.CaseId;
    }

    sealed record CaseCommandResult(Guid CaseId, long Version);
}
