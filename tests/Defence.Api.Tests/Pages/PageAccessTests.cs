using System.Net;
using System.Net.Http.Json;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Defence.Domain.Cases;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Defence.Api.Tests.Pages;

/// <summary>
/// Who reaches which page, walked over every page the host maps (so a page added later is checked too): signed-out
/// visitors are sent to sign in, other roles get 403, another tenant's or member's case is not found, and the
/// sign-in cookie never opens the API.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class PageAccessTests(PagesFixture pages)
{
    static readonly string[] AllRoles = [Roles.Member, Roles.Adviser, Roles.Analyst, Roles.TenantAdmin];

    IReadOnlyList<(string Route, string[] Roles)> RolePages() =>
        pages.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => ("/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray()))
            .Where(p => p.Item2.Length > 0)
            .ToArray();

    static string Path(string route, Guid caseId) => route.Replace("{id:guid}", caseId.ToString());

    [Fact]
    public async Task every_page_sends_a_signed_out_visitor_to_sign_in_and_back()
    {
        var anonymous = await pages.SignedInClientAsync(null);
        var caseId = Guid.NewGuid();
        var failures = new List<string>();
        foreach (var (route, _) in RolePages())
        {
            var response = await anonymous.GetAsync(Path(route, caseId));
            var location = response.Headers.Location?.ToString() ?? "";
            if (response.StatusCode != HttpStatusCode.Redirect || !location.Contains("/sign-in?ReturnUrl=", StringComparison.Ordinal))
                failures.Add($"{route}: {(int)response.StatusCode} {location}");
        }
        Assert.NotEmpty(RolePages());
        Assert.Empty(failures);
    }

    [Fact]
    public async Task every_page_refuses_each_role_it_does_not_name_with_403()
    {
        var caseId = await ReportAsync(TestUser.Member());
        var failures = new List<string>();
        foreach (var role in AllRoles)
        {
            var client = await pages.SignedInClientAsync(new TestUser(ApiFixture.MduTid, Guid.NewGuid(), [role]));
            foreach (var (route, roles) in RolePages().Where(p => !p.Roles.Contains(role)))
            {
                var response = await client.GetAsync(Path(route, caseId));
                if (response.StatusCode != HttpStatusCode.Forbidden) failures.Add($"{route} as {role}: {(int)response.StatusCode}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task an_analyst_gets_403_on_the_desk() =>
        Assert.Equal(HttpStatusCode.Forbidden, (await (await pages.SignedInClientAsync(TestUser.Analyst())).GetAsync("/desk")).StatusCode);

    [Fact]
    public async Task a_case_page_of_another_tenant_or_another_member_is_not_found_and_nothing_is_written()
    {
        var caseId = await ReportAsync(TestUser.Member());
        var outsiders = new[]
        {
            (TestUser.Member(ApiFixture.MpsTid), $"/portal/cases/{caseId}"),
            (TestUser.Member(), $"/portal/cases/{caseId}"),
            (TestUser.Adviser(ApiFixture.MpsTid), $"/desk/cases/{caseId}"),
            (TestUser.TenantAdmin(ApiFixture.MpsTid), $"/desk/cases/{caseId}"),
        };
        foreach (var (user, path) in outsiders)
        {
            var client = await pages.SignedInClientAsync(user);
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);

            var form = await client.GetStringAsync(user.Roles[0] == Roles.Member ? "/portal" : "/desk");
            var post = await client.PostAsync(path + (user.Roles[0] == Roles.Member ? "" : "?handler=Advice"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__antiforgery"] = PagesFixture.AntiforgeryToken(form), ["version"] = "1",
                ["channel"] = "phone", ["occurredAt"] = "2026-01-05T10:00", ["note"] = "Called.", ["advice"] = "Advice.",
            }));
            Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{path} as {user.Roles[0]}: {(int)post.StatusCode}");
        }
        Assert.Single(await pages.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task a_form_posted_without_its_anti_forgery_token_is_refused_and_nothing_is_written()
    {
        var member = TestUser.Member();
        var caseId = await ReportAsync(member);
        var client = await pages.SignedInClientAsync(member);

        var post = await client.PostAsync($"/portal/cases/{caseId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["version"] = "1", ["channel"] = "phone", ["occurredAt"] = "2026-01-05T10:00", ["note"] = "Called.",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Single(await pages.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task the_sign_in_cookie_never_authenticates_the_api()
    {
        var member = TestUser.Member();
        await ReportAsync(member);
        var client = await pages.SignedInClientAsync(member);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/portal")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/reports", CaseApi.Report())).StatusCode);
    }

    [Fact]
    public async Task pages_allow_no_script_and_nothing_from_outside_the_deployment()
    {
        var response = await (await pages.SignedInClientAsync(null)).GetAsync("/dev/sign-in");

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("style-src 'self'", policy);
        Assert.Contains("form-action 'self'", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task the_development_sign_in_is_prefilled_from_its_query_string()
    {
        var user = Guid.NewGuid();
        var html = await (await pages.SignedInClientAsync(null)).GetStringAsync($"/dev/sign-in?tenant=mps&role=Adviser&user={user}&returnUrl=/desk");

        Assert.Contains("<option selected=\"selected\" value=\"mps\">", html);
        Assert.Contains("<option selected=\"selected\" value=\"Adviser\">", html);
        Assert.Contains($"value=\"{user}\"", html);
        Assert.Contains("name=\"returnUrl\" type=\"hidden\" value=\"/desk\"", html);
    }

    async Task<Guid> ReportAsync(TestUser member)
    {
        var response = await pages.Api(member).PostAsJsonAsync("/api/reports", CaseApi.Report());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CaseCommandResult>())!.CaseId;
    }

    sealed record CaseCommandResult(Guid CaseId, long Version);
}
