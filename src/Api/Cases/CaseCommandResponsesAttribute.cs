namespace Defence.Api.Cases;

/// <summary>
/// Marks a case command endpoint, so the OpenAPI document shows the <c>If-Match</c> header and the
/// responses every case command shares (200, 400, 404, 409, 412); see <c>OpenApiSetup</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CaseCommandResponsesAttribute : Attribute;
