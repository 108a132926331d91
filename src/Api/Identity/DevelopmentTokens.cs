using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Defence.Api.Identity;

/// <summary>
/// Mints HS256 tokens signed with the first key of the development bearer configuration, with the
/// claims Entra ID would send. For local calls and tests only: production tokens come from Entra ID.
/// </summary>
public sealed class DevelopmentTokens(IConfiguration configuration)
{
    public string Create(string entraTenantId, Guid userId, IEnumerable<string> roles, string? name = null, TimeSpan? lifetime = null)
    {
        var bearer = configuration.GetSection(IdentitySetup.BearerSection);
        var key = bearer["SigningKeys:0:Value"]
            ?? throw new InvalidOperationException($"{IdentitySetup.BearerSection}:SigningKeys:0:Value is not set.");
        var issuer = bearer["SigningKeys:0:Issuer"] ?? bearer["ValidIssuer"];
        var audience = bearer.GetSection("ValidAudiences").GetChildren().FirstOrDefault()?.Value ?? bearer["ValidAudience"];

        var claims = new List<Claim>
        {
            new(ClaimNames.EntraTenant, entraTenantId),
            new(ClaimNames.UserId, userId.ToString()),
            new(ClaimNames.Name, name ?? $"Development user {userId.ToString()[..8]}"),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimNames.Roles, r)));

        var expires = DateTime.UtcNow.Add(lifetime ?? TimeSpan.FromHours(8));
        // Issued a minute before it is needed, and before it expires, so an already expired token (tests) reads as expired.
        var issued = (expires < DateTime.UtcNow ? expires : DateTime.UtcNow).AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = issued,
            IssuedAt = issued,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
