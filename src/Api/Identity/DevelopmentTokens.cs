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

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now,
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
