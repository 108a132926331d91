using System.Net;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Defence.Api.Tests.Identity;

/// <summary>
/// Walks every endpoint the API maps, so an endpoint added later is checked without a new test:
/// it must name its roles, refuse anonymous callers and every other role, and never reach another
/// tenant's or another member's case. Pages are walked the same way in a browser's terms (sent to sign in,
/// 403, 404) by Pages/PageAccessTests; here each page must name the roles docs/http-api.md gives it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IsolationMatrixTests(ApiFixture api)
{
    static readonly string[] AllRoles = [Roles.Member, Roles.Adviser, Roles.Analyst, Roles.TenantAdmin];

    /// <summary>Endpoints that are open on purpose.</summary>
    static readonly HashSet<string> Anonymous = ["GET /health/live", "GET /health/ready"];

    /// <summary>Pages open on purpose: signing in and out (the development sign-in answers 404 outside Development).</summary>
    static readonly HashSet<string> AnonymousPages = ["/sign-in", "/sign-out", "/dev/sign-in"];

    /// <summary>The roles docs/http-api.md gives each page; the start page is for every role.</summary>
    static readonly Dictionary<string, string[]> PagesContract = new()
    {
        ["/"] = [Roles.Member, Roles.Adviser, Roles.Analyst, Roles.TenantAdmin],
        ["/portal"] = [Roles.Member],
        ["/portal/cases/{id:guid}"] = [Roles.Member],
        ["/desk"] = [Roles.Adviser, Roles.TenantAdmin],
        ["/desk/cases/{id:guid}"] = [Roles.Adviser, Roles.TenantAdmin],
        ["/dashboard"] = [Roles.Analyst, Roles.TenantAdmin],
    };

    /// <summary>The roles docs/http-api.md gives each endpoint.</summary>
    static readonly Dictionary<string, string[]> Contract = new()
    {
        ["POST /api/reports"] = [Roles.Member],
        ["GET /api/cases/{id}"] = [Roles.Adviser, Roles.TenantAdmin, Roles.Member],
        ["GET /api/cases"] = [Roles.Adviser, Roles.TenantAdmin],
        ["GET /api/me/cases"] = [Roles.Member],
        ["POST /api/cases/{id}/assignment"] = [Roles.Adviser],
        ["POST /api/cases/{id}/advice"] = [Roles.Adviser],
        ["POST /api/cases/{id}/contacts"] = [Roles.Member, Roles.Adviser],
        ["POST /api/cases/{id}/gmc-complaint"] = [Roles.Adviser],
        ["POST /api/cases/{id}/allegation-withdrawal"] = [Roles.Adviser],
        ["POST /api/cases/{id}/closure"] = [Roles.Adviser],
        ["POST /api/cases/{id}/reopening"] = [Roles.Adviser],
        ["GET /api/trends"] = [Roles.Analyst, Roles.TenantAdmin],
        ["POST /api/imports/cases"] = [Roles.TenantAdmin],
        ["GET /api/members/{memberId}/export"] = [Roles.TenantAdmin],
        ["POST /api/members/{memberId}/erasure"] = [Roles.TenantAdmin],
    };

    /// <summary>A valid body per endpoint, so isolation is tested past validation.</summary>
    static readonly Dictionary<string, object> Bodies = new()
    {
        ["POST /api/reports"] = CaseApi.Report(),
        ["POST /api/cases/{id}/assignment"] = new { adviserId = Guid.NewGuid() },
        ["POST /api/cases/{id}/advice"] = new { advice = "Advice.", actions = new[] { "do-not-reply" } },
        ["POST /api/cases/{id}/contacts"] = new { channel = "phone", occurredAt = "2026-11-01T10:00:00Z", note = "Called." },
        ["POST /api/cases/{id}/gmc-complaint"] = new { gmcReference = "GMC-9", receivedOn = "2026-10-01", allegation = "Alleged." },
        ["POST /api/cases/{id}/allegation-withdrawal"] = new { withdrawnOn = "2026-10-02", reason = "Withdrawn." },
        ["POST /api/cases/{id}/closure"] = new { outcome = "Closed." },
        ["POST /api/cases/{id}/reopening"] = new { reason = "Reopened." },
        ["POST /api/members/{memberId}/erasure"] = new { reason = "The member asked." },
    };

    sealed record ApiEndpoint(string Method, string Route, string[] Roles, bool HasRoles)
    {
        public string Key => $"{Method} {Route}";
        /// <summary>Whether the route names a case or a member, whose data must stay out of other users' reach.</summary>
        public bool TakesCaseId => Route.Contains("{id}") || Route.Contains("{memberId}");
        public string Path(Guid caseId, Guid memberId) => Route.Replace("{id}", caseId.ToString()).Replace("{memberId}", memberId.ToString());
    }

    IReadOnlyList<ApiEndpoint> Endpoints() => AllEndpoints(pages: false);

    IReadOnlyList<ApiEndpoint> PageEndpoints() => AllEndpoints(pages: true);

    IReadOnlyList<ApiEndpoint> AllEndpoints(bool pages)
    {
        var source = api.Factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null == pages)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(method =>
            {
                var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>();
                var roles = policies.SelectMany(p => (p.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
                var named = policies.Any(p => p.Policy == Policies.TenantUser && roles.Length > 0);
                return new ApiEndpoint(method, "/" + e.RoutePattern.RawText!.TrimStart('/'), roles, named);
            }))
            .Where(e => !Anonymous.Contains(e.Key) && !(pages && AnonymousPages.Contains(e.Route)))
            .ToArray();
    }

    [Fact]
    public void every_page_names_its_roles_under_the_tenant_user_policy_as_api_md_gives_them()
    {
        var mapped = PageEndpoints();

        Assert.Equal(PagesContract.Keys.Order(), mapped.Select(p => p.Route).Distinct().Order());
        Assert.All(mapped, p => Assert.True(p.HasRoles, $"{p.Route} names no roles under {Policies.TenantUser}."));
        Assert.Empty(mapped.Where(p => !PagesContract[p.Route].Order().SequenceEqual(p.Roles.Order())).Select(p => $"{p.Route} allows {string.Join(",", p.Roles)}"));
    }

    [Fact]
    public async Task every_page_sends_a_caller_without_a_sign_in_to_sign_in_and_never_answers_a_bearer_token()
    {
        var failures = new List<string>();
        var withToken = api.As(TestUser.Adviser());
        foreach (var page in PageEndpoints())
        foreach (var client in new[] { api.Anonymous(), withToken })
        {
            var response = await client.GetAsync(page.Path(Guid.NewGuid(), Guid.NewGuid()).Replace("{id:guid}", Guid.NewGuid().ToString()));
            // Followed to /sign-in, which here (no Entra ID, not Development) says that sign-in is not available.
            if (response.RequestMessage!.RequestUri!.AbsolutePath != "/sign-in")
                failures.Add($"{page.Route}: {(int)response.StatusCode} at {response.RequestMessage?.RequestUri}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task the_development_sign_in_is_not_found_outside_the_development_environment()
    {
        var client = api.Anonymous();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dev/sign-in?tenant=mdu&role=TenantAdmin&user=" + Guid.NewGuid())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/dev/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tenant"] = "mdu", ["role"] = "TenantAdmin", ["user"] = Guid.NewGuid().ToString(),
        }))).StatusCode);
    }

    [Fact]
    public void the_api_maps_every_endpoint_of_the_contract()
    {
        var mapped = Endpoints().Select(e => e.Key).ToHashSet();

        var missing = Contract.Keys.Where(k => !mapped.Contains(k)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void every_endpoint_names_its_roles_under_the_tenant_user_policy()
    {
        var unnamed = Endpoints().Where(e => !e.HasRoles).Select(e => e.Key).ToList();

        Assert.Empty(unnamed);
    }

    [Fact]
    public void every_contract_endpoint_allows_exactly_the_roles_api_md_gives_it()
    {
        var wrong = Endpoints().Where(e => Contract.TryGetValue(e.Key, out var roles) && !roles.Order().SequenceEqual(e.Roles.Order()))
            .Select(e => $"{e.Key} allows {string.Join(",", e.Roles)}");

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task every_endpoint_refuses_a_call_without_a_token_with_401()
    {
        var failures = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            var response = await api.Anonymous().Send(new HttpMethod(endpoint.Method), endpoint.Path(Guid.NewGuid(), Guid.NewGuid()), Bodies.GetValueOrDefault(endpoint.Key));
            if (response.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{endpoint.Key}: {(int)response.StatusCode}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task every_endpoint_refuses_each_role_it_does_not_name_with_403()
    {
        var failures = new List<string>();
        var reporter = TestUser.Member();
        var caseId = await api.As(reporter).ReportCase();
        foreach (var endpoint in Endpoints())
        foreach (var role in AllRoles.Except(endpoint.Roles))
        {
            var user = new TestUser(ApiFixture.MduTid, Guid.NewGuid(), [role]);
            var response = await api.As(user).Send(new HttpMethod(endpoint.Method), endpoint.Path(caseId, reporter.Id), Bodies.GetValueOrDefault(endpoint.Key));
            if (response.StatusCode != HttpStatusCode.Forbidden) failures.Add($"{endpoint.Key} as {role}: {(int)response.StatusCode}");
        }
        Assert.Empty(failures);
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task no_endpoint_lets_a_user_of_another_tenant_reach_a_case_and_nothing_is_written()
    {
        var failures = new List<string>();
        var reporter = TestUser.Member();
        var caseId = await api.As(reporter).ReportCase();
        foreach (var endpoint in Endpoints().Where(e => e.TakesCaseId))
        foreach (var role in endpoint.Roles)
        {
            Assert.True(endpoint.Method == "GET" || Bodies.ContainsKey(endpoint.Key), $"Add a valid body for {endpoint.Key} to {nameof(Bodies)}.");
            var outsider = new TestUser(ApiFixture.MpsTid, Guid.NewGuid(), [role]);
            var response = await api.As(outsider).Send(new HttpMethod(endpoint.Method), endpoint.Path(caseId, reporter.Id), Bodies.GetValueOrDefault(endpoint.Key));
            if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{endpoint.Key} as {role} of {ApiFixture.Mps}: {(int)response.StatusCode}");
        }
        Assert.Empty(failures);
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task no_endpoint_lets_a_member_reach_another_members_case_and_nothing_is_written()
    {
        var failures = new List<string>();
        var reporter = TestUser.Member();
        var caseId = await api.As(reporter).ReportCase();
        var otherMember = api.As(TestUser.Member());
        foreach (var endpoint in Endpoints().Where(e => e.TakesCaseId && e.Roles.Contains(Roles.Member)))
        {
            var response = await otherMember.Send(new HttpMethod(endpoint.Method), endpoint.Path(caseId, reporter.Id), Bodies.GetValueOrDefault(endpoint.Key));
            if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{endpoint.Key}: {(int)response.StatusCode}");
        }
        Assert.Empty(failures);
        Assert.Single(await api.EventsOf(ApiFixture.Mdu, caseId));
    }

    [Fact]
    public async Task the_same_case_id_in_two_tenants_never_mixes()
    {
        var mduCase = await api.As(TestUser.Member()).ReportCase();
        var mpsAdviser = TestUser.Adviser(ApiFixture.MpsTid);

        var list = await (await api.As(mpsAdviser).GetAsync($"/api/cases?pageSize=100")).Body();

        Assert.DoesNotContain(list["items"]!.AsArray(), item => item!["id"]!.GetValue<Guid>() == mduCase);
        Assert.Empty(await api.EventsOf(ApiFixture.Mps, mduCase));
    }
}
