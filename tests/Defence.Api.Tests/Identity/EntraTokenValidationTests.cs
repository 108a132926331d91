using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Defence.Api.Tests.Identity;

/// <summary>
/// The production validation path: Microsoft.Identity.Web with an <c>AzureAd</c> section, against tokens
/// signed by a real OpenID Connect issuer (oauth2-mock-server) that the API knows only by its discovery document.
/// </summary>
[Collection(EntraCollection.Name)]
public sealed class EntraTokenValidationTests(EntraFixture entra)
{
    [Fact]
    public void the_api_validates_with_microsoft_identity_web_and_its_entra_issuer_validator()
    {
        var options = entra.Factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.Equal($"{entra.Issuer.Url}/organizations/v2.0", options.Authority);
        Assert.Equal("Microsoft.IdentityModel.Validators.AadIssuerValidator", options.TokenValidationParameters.IssuerValidator?.Target?.GetType().FullName);
        Assert.False(options.MapInboundClaims);
        Assert.Equal(ClaimNames.Roles, options.TokenValidationParameters.RoleClaimType);
        Assert.Equal(ClaimNames.Name, options.TokenValidationParameters.NameClaimType);
    }

    [Fact]
    public async Task a_valid_token_of_a_registered_tenant_is_accepted()
    {
        var adviser = await entra.As(TestUser.Adviser());

        await (await adviser.GetAsync("/api/cases")).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_member_with_a_valid_token_reports_a_case_and_reads_it_back()
    {
        var member = await entra.As(TestUser.Member());

        var caseId = await member.ReportCase();

        Assert.Equal(caseId, (await member.GetCase(caseId))["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task a_token_for_another_audience_is_401()
    {
        var token = await entra.TokenFor(TestUser.Adviser(), c => c["aud"] = "api://another-api");

        await ShouldBeRefused(await entra.WithToken(token).GetAsync("/api/cases"), "The audience");
    }

    [Fact]
    public async Task a_token_naming_another_issuer_is_401_even_when_signed_with_the_issuers_key()
    {
        var token = await entra.TokenFor(TestUser.Adviser(), c => c["iss"] = $"https://login.microsoftonline.com/{ApiFixture.MduTid}/v2.0");

        await ShouldBeRefused(await entra.WithToken(token).GetAsync("/api/cases"), "The issuer");
    }

    [Fact]
    public async Task an_expired_token_is_401()
    {
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        var token = await entra.TokenFor(TestUser.Adviser(), c =>
        {
            c["iat"] = twoHoursAgo;
            c["nbf"] = twoHoursAgo;
            c["exp"] = twoHoursAgo + 3600;
        });

        await ShouldBeRefused(await entra.WithToken(token).GetAsync("/api/cases"), "The token expired");
    }

    [Fact]
    public async Task an_unsigned_token_is_401()
    {
        var signed = await entra.TokenFor(TestUser.Adviser());
        var unsigned = $"{Part("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{signed.Split('.')[1]}.";

        await (await entra.WithToken(unsigned).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_tampered_token_is_401()
    {
        var parts = (await entra.TokenFor(TestUser.Member())).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["roles"] = new JsonArray("Adviser");
        var tampered = $"{parts[0]}.{Part(payload.ToJsonString())}.{parts[2]}";

        await ShouldBeRefused(await entra.WithToken(tampered).GetAsync("/api/cases"), "The signature is invalid");
    }

    [Fact]
    public async Task a_token_without_roles_or_scopes_is_401()
    {
        var token = await entra.TokenFor(TestUser.Adviser(), c => c["roles"] = null);

        await (await entra.WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_token_without_a_tid_is_401()
    {
        var token = await entra.TokenFor(TestUser.Adviser(), c => c["tid"] = null);

        await (await entra.WithToken(token).GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_valid_token_from_an_entra_tenant_not_in_the_registry_is_403()
    {
        var outsider = await entra.As(TestUser.Adviser(ApiFixture.UnregisteredTid));

        await (await outsider.GetAsync("/api/cases")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_valid_token_with_a_role_the_endpoint_does_not_allow_is_403()
    {
        var analyst = await entra.As(TestUser.Analyst());

        await (await analyst.PostAsJsonAsync("/api/reports", CaseApi.Report())).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    /// <summary>A 401 problem whose challenge names the check that refused the token, not some other failure.</summary>
    static async Task ShouldBeRefused(HttpResponseMessage response, string because)
    {
        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        var challenge = string.Join(", ", response.Headers.WwwAuthenticate);
        Assert.True(challenge.Contains(because, StringComparison.Ordinal), $"Expected the challenge to say \"{because}\": {challenge}");
    }

    static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
