using System.Net;
using System.Net.Http.Headers;
using Defence.Api.Tests.Deployment;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Identity;

/// <summary>
/// The operator command that mints development tokens: every role at once, role names in any case, and no database
/// (the settings name none, so a command that tried to open one would fail).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenCommandTests(ApiFixture api)
{
    static readonly Dictionary<string, string?> WithoutDatabase = ApiProcess.AsEnvironment(
        ApiFixture.Settings("").Where(s => s.Key != "ConnectionStrings:Marten").ToDictionary());

    static Task<ApiProcess.Result> Token(params string[] args) =>
        ApiProcess.RunAsync(["token", .. args], WithoutDatabase, TimeSpan.FromMinutes(1));

    [Fact]
    public async Task all_roles_are_minted_at_once_as_shell_assignments_each_accepted_by_its_endpoints()
    {
        var result = await Token("--all-roles");

        Assert.True(result.ExitCode == 0, result.All);
        var assignments = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["ADVISER", "ADVISER_ID", "ANALYST", "ANALYST_ID", "MEMBER", "MEMBER_ID", "TENANTADMIN", "TENANTADMIN_ID"], assignments.Keys.Order());
        await Allowed(assignments["ADVISER"], "/api/cases");
        await Allowed(assignments["ANALYST"], "/api/trends?by=specialty");
        await Allowed(assignments["MEMBER"], "/api/me/cases");
    }

    [Fact]
    public async Task a_role_in_any_letter_case_is_minted_as_the_app_role()
    {
        var result = await Token("--role", "member");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("roles Member", result.Error);
        await Allowed(result.Output.Trim(), "/api/me/cases");
    }

    [Fact]
    public async Task an_unknown_role_is_refused_naming_the_four()
    {
        var result = await Token("--role", "Nurse");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'Nurse' is not an app role; the roles are Member, Adviser, Analyst, TenantAdmin.", result.Error);
    }

    async Task Allowed(string token, string path)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await client.GetAsync(path)).ShouldHave(HttpStatusCode.OK);
    }
}
