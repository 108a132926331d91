using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Defence.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Defence.Api.Tests.Identity;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiFixture api)
{
    [Fact]
    public async Task a_call_without_a_token_is_401_problem()
    {
        var response = await api.Anonymous().GetAsync("/api/cases");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("Authorization: Bearer", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_expired_token_is_401()
    {
        var token = api.Token(TestUser.Adviser(), lifetime: TimeSpan.FromMinutes(-10));

        var response = await WithToken(token).GetAsync("/api/cases");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.StartsWith("The token expired at ", problem["detail"]!.GetValue<string>());
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_401()
    {
        var token = Sign(Claims(TestUser.Adviser()), ApiFixture.Issuer, ApiFixture.Audience, new byte[32]);

        await (await WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_token_for_another_audience_is_401()
    {
        var token = Sign(Claims(TestUser.Adviser()), ApiFixture.Issuer, "someone-else", Convert.FromBase64String(ApiFixture.SigningKey));

        await (await WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_token_from_another_issuer_is_401()
    {
        var token = Sign(Claims(TestUser.Adviser()), "https://evil.example", ApiFixture.Audience, Convert.FromBase64String(ApiFixture.SigningKey));

        await (await WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task an_unsigned_token_is_401()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var user = TestUser.Adviser();
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var token = $"{Part("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Part($"{{\"iss\":\"{ApiFixture.Issuer}\",\"aud\":\"{ApiFixture.Audience}\",\"exp\":{exp},\"tid\":\"{user.Tid}\",\"oid\":\"{user.Id}\",\"roles\":\"Adviser\"}}")}.";

        await (await WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_tampered_token_is_401()
    {
        var token = api.Token(TestUser.Member());
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"Member\"", "\"Adviser\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        await (await WithToken(tampered).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_valid_token_from_an_identity_tenant_not_in_the_registry_is_403()
    {
        var response = await api.As(TestUser.Adviser(ApiFixture.UnregisteredTid)).GetAsync("/api/cases");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Contains("tenant (tid) is not registered", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_role_the_endpoint_does_not_admit_is_403_naming_the_roles_it_does()
    {
        var response = await api.As(TestUser.Member()).GetAsync("/api/cases");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal("This endpoint is for the role Adviser or TenantAdmin; the token's role is Member.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_token_without_an_app_role_is_403_saying_so()
    {
        var response = await api.As(TestUser.Member() with { Roles = [] }).GetAsync("/api/cases");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Contains("the token carries no app role", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_token_without_a_guid_oid_is_403()
    {
        var claims = Claims(TestUser.Adviser()).Where(c => c.Type != "oid").Append(new Claim("oid", "not-a-guid"));
        var token = Sign(claims, ApiFixture.Issuer, ApiFixture.Audience, Convert.FromBase64String(ApiFixture.SigningKey));

        var problem = await (await WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Contains("oid is not a user id", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_tenant_claim_inside_the_token_is_ignored_the_tenant_comes_from_tid_only()
    {
        var mduCase = await api.As(TestUser.Member()).ReportCase();
        var mpsAdviser = TestUser.Adviser(ApiFixture.MpsTid);
        var claims = Claims(mpsAdviser).Append(new Claim("defence_tenant", ApiFixture.Mdu));
        var token = Sign(claims, ApiFixture.Issuer, ApiFixture.Audience, Convert.FromBase64String(ApiFixture.SigningKey));

        await (await WithToken(token).GetAsync($"/api/cases/{mduCase}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task the_health_endpoint_and_the_openapi_document_need_no_token()
    {
        await (await api.Anonymous().GetAsync("/health/live")).ShouldHave(HttpStatusCode.OK);
        await (await api.Anonymous().GetAsync("/swagger/v1/swagger.json")).ShouldHave(HttpStatusCode.OK);
    }

    HttpClient WithToken(string token)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static IEnumerable<Claim> Claims(TestUser user) =>
        [new("tid", user.Tid), new("oid", user.Id.ToString()), .. user.Roles.Select(r => new Claim("roles", r))];

    static string Sign(IEnumerable<Claim> claims, string issuer, string audience, byte[] key) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
}
