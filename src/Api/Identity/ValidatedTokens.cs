using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace Defence.Api.Identity;

/// <summary>
/// Wraps the bearer scheme's token handler so that a token is fully validated (signature, issuer, audience, lifetime)
/// the first time it is seen, and a repeat of exactly the same token is answered from memory while three things hold:
/// it has not expired (its <c>exp</c>, without the clock skew the full validation allows), the key that verified its
/// signature is still one of the signing keys in force for this request (configured, or in the authority's current
/// discovery document, so a key that rolls out of it stops every token it signed), and no time-dependent validator
/// (a custom lifetime check, replay detection) is configured. A token that fails is never remembered. Each request
/// gets its own copy of the identity, because the claims transformation changes it.
/// </summary>
public sealed class ValidatedTokens(TokenHandler inner) : TokenHandler
{
    /// <summary>Tokens remembered at most; beyond it new ones are validated fully and not remembered until room is made.</summary>
    public const int Capacity = 4_096;

    readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    sealed record Validated(ClaimsIdentity Identity, SecurityToken Token, SecurityKey SigningKey, string? Issuer, string? TokenType);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (!Rememberable(validationParameters)) return await inner.ValidateTokenAsync(token, validationParameters);

        if (_validated.TryGetValue(token, out Validated? known) && known!.Token.ValidTo > DateTime.UtcNow
            && await InForceAsync(known.SigningKey, validationParameters))
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = known.Token,
                ClaimsIdentity = Copy(known.Identity),
                Issuer = known.Issuer,
                TokenType = known.TokenType,
            };

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: { SigningKey: { } key } validated }
            && validated.ValidTo > DateTime.UtcNow)
            _validated.Set(token, new Validated(Copy(identity), validated, key, result.Issuer, result.TokenType),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero) });
        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    /// <summary>Checks that would give a different answer for the same token later are never skipped.</summary>
    static bool Rememberable(TokenValidationParameters p) =>
        p.ValidateLifetime && p.LifetimeValidator is null && !p.ValidateTokenReplay && p.TokenReplayValidator is null && p.TokenReplayCache is null
        && p.IssuerSigningKeyValidator is null && p.IssuerSigningKeyValidatorUsingConfiguration is null;

    /// <summary>Whether the key that verified the token is, by identity, one of the keys this request's validation would use.</summary>
    static async ValueTask<bool> InForceAsync(SecurityKey key, TokenValidationParameters p)
    {
        if (ReferenceEquals(p.IssuerSigningKey, key)) return true;
        if (p.IssuerSigningKeys is { } keys && keys.Any(k => ReferenceEquals(k, key))) return true;
        if (p.ConfigurationManager is { } manager)
        {
            // The manager's cached document: refreshed on its own schedule, and at once after a key it lacked was asked for.
            var configuration = await manager.GetBaseConfigurationAsync(CancellationToken.None);
            return configuration?.SigningKeys.Any(k => ReferenceEquals(k, key)) == true;
        }
        return false;
    }

    /// <summary>A copy of the identity with copies of its claims, of the same kind (claim lookups stay case-sensitive).</summary>
    static ClaimsIdentity Copy(ClaimsIdentity identity)
    {
        var claims = identity.Claims;
        var copy = identity is CaseSensitiveClaimsIdentity
            ? new CaseSensitiveClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType)
            : new ClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        copy.Actor = identity.Actor?.Clone();
        copy.BootstrapContext = identity.BootstrapContext;
        copy.Label = identity.Label;
        return copy;
    }
}
