using Defence.Api.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace Defence.Api.Identity;

/// <summary>
/// Says why the API refused a caller, in the problem body: no token, an expired or invalid one, a tenant that is not
/// registered, or a role the endpoint does not admit (naming the roles it does). Only for <c>/api</c>; anything else
/// keeps the default answers. The details are about the caller's own token, so they leak nothing of anyone else.
/// </summary>
public sealed class RefusalProblems : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext http, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!http.Request.Path.StartsWithSegments("/api") || result.Succeeded)
        {
            await _default.HandleAsync(next, http, policy, result);
            return;
        }

        if (result.Challenged)
        {
            await http.ChallengeAsync(); // sets WWW-Authenticate as the scheme does
            // The scheme keeps its result for the request, so this reads why it failed rather than validating again.
            var failure = (await http.AuthenticateAsync()).Failure;
            await Problems.Refused(StatusCodes.Status401Unauthorized, "A valid bearer token is required.", WhyUnauthenticated(failure)).ExecuteAsync(http);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Problems.Refused(StatusCodes.Status403Forbidden, "This token may not call this endpoint.", WhyForbidden(http)).ExecuteAsync(http);
    }

    static string WhyUnauthenticated(Exception? failure) =>
        failure switch
        {
            SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:yyyy-MM-dd HH:mm:ss} UTC; get a new one.",
            SecurityTokenNotYetValidException => "The token is not valid yet (its nbf is in the future).",
            { } => "The token was refused: its signature, issuer or audience is not the one this service accepts.",
            null => "Send Authorization: Bearer <token>.",
        };

    static string WhyForbidden(HttpContext http)
    {
        var user = http.User;
        if (user.FindFirst(ClaimNames.Tenant) is null)
            return "The token's tenant (tid) is not registered with this service: ask the service's operator to register your organisation.";
        if (!Guid.TryParse(user.FindFirst(ClaimNames.UserId)?.Value, out _))
            return "The token's oid is not a user id (a GUID).";

        var allowed = (http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? [])
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct().ToArray();
        var held = user.FindAll(ClaimNames.Roles).Select(c => c.Value).Where(r => Roles.Canonical(r) is not null).ToArray();
        var holds = held.Length switch
        {
            0 => "the token carries no app role",
            1 => $"the token's role is {held[0]}",
            _ => $"the token's roles are {string.Join(", ", held)}",
        };
        return allowed.Length == 0
            ? $"This endpoint needs an app role; {holds}."
            : $"This endpoint is for the role {string.Join(" or ", allowed)}; {holds}.";
    }
}
