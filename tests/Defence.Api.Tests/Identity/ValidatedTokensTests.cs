using System.Security.Claims;
using System.Security.Cryptography;
using Defence.Api.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Defence.Api.Tests.Identity;

/// <summary>The bearer scheme's token handler: each token validated fully once, a repeat answered only while that is still safe.</summary>
public sealed class ValidatedTokensTests
{
    const string Issuer = "https://issuer.example", Audience = "defence-api";
    readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));
    readonly Counting _full = new();

    [Fact]
    public async Task a_token_is_validated_fully_once_and_its_repeats_are_answered_from_memory()
    {
        var tokens = new ValidatedTokens(_full);
        var token = Sign(_key, DateTime.UtcNow.AddHours(1));

        var first = await tokens.ValidateTokenAsync(token, Parameters(_key));
        var second = await tokens.ValidateTokenAsync(token, Parameters(_key));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _full.Calls);
        Assert.Equal("adviser-1", second.ClaimsIdentity.FindFirst("oid")?.Value);
        Assert.Equal("Adviser", Assert.Single(second.ClaimsIdentity.FindAll("roles")).Value);
    }

    [Fact]
    public async Task a_token_that_failed_is_validated_fully_every_time()
    {
        var tokens = new ValidatedTokens(_full);
        var token = Sign(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow.AddHours(1));

        Assert.False((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
        Assert.Equal(2, _full.Calls);
    }

    [Fact]
    public async Task a_token_is_refused_once_the_key_that_signed_it_is_no_longer_a_signing_key()
    {
        var tokens = new ValidatedTokens(_full);
        var token = Sign(_key, DateTime.UtcNow.AddHours(1));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        var rolledOver = await tokens.ValidateTokenAsync(token, Parameters(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32))));

        Assert.False(rolledOver.IsValid);
        Assert.Equal(2, _full.Calls);
    }

    [Fact]
    public async Task a_token_past_its_expiry_is_validated_fully_again()
    {
        var tokens = new ValidatedTokens(_full);
        // Expired by a minute: the full validation's clock skew still accepts it, so only the memory's own expiry is tested.
        var token = Sign(_key, DateTime.UtcNow.AddMinutes(-1), notBefore: DateTime.UtcNow.AddMinutes(-10));

        Assert.True((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters(_key))).IsValid);
        Assert.Equal(2, _full.Calls);
    }

    [Fact]
    public async Task each_answer_carries_an_identity_of_its_own()
    {
        var tokens = new ValidatedTokens(_full);
        var token = Sign(_key, DateTime.UtcNow.AddHours(1));
        var first = await tokens.ValidateTokenAsync(token, Parameters(_key));

        first.ClaimsIdentity.AddClaim(new Claim("defence_tenant", "mdu"));
        var second = await tokens.ValidateTokenAsync(token, Parameters(_key));

        Assert.Null(second.ClaimsIdentity.FindFirst("defence_tenant"));
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.IsType<CaseSensitiveClaimsIdentity>(second.ClaimsIdentity);
    }

    [Fact]
    public async Task nothing_is_remembered_when_a_custom_lifetime_check_is_configured()
    {
        var tokens = new ValidatedTokens(_full);
        var token = Sign(_key, DateTime.UtcNow.AddHours(1));
        var parameters = Parameters(_key);
        parameters.LifetimeValidator = (_, _, _, _) => true;

        await tokens.ValidateTokenAsync(token, parameters);
        await tokens.ValidateTokenAsync(token, parameters);

        Assert.Equal(2, _full.Calls);
    }

    static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = [key],
    };

    static string Sign(SecurityKey key, DateTime expires, DateTime? notBefore = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("oid", "adviser-1"), new Claim("roles", "Adviser")]),
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            IssuedAt = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>The library's handler, counting the full validations.</summary>
    sealed class Counting : JsonWebTokenHandler
    {
        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
