using Defence.Api.Cases;
using Defence.Domain.Cases;
using Defence.Domain.Rules;

namespace Defence.Api.Errors;

/// <summary>The problem responses (RFC 9457) the API answers with, so each reads the same everywhere.</summary>
public static class Problems
{
    public const string ValidationTitle = "The request is not valid.";

    /// <summary>400 naming each bad field; past <see cref="FieldErrors.MaxListed"/> messages it says how many more there were.</summary>
    public static IResult Validation(FieldErrors errors) =>
        Results.ValidationProblem(errors.Listed, title: ValidationTitle,
            detail: errors.Omitted > 0 ? $"{errors.Count} problems were found; the first {errors.Count - errors.Omitted} are listed." : null,
            extensions: errors.Omitted > 0 ? new Dictionary<string, object?> { ["errorsOmitted"] = errors.Omitted } : null);

    public static IResult Validation(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Validation(errors);
    }

    /// <summary>The same answer whether the case does not exist, is another tenant's, or is another member's.</summary>
    public static IResult CaseNotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Case not found.");

    public static IResult MemberNotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No case of this member in this tenant.");

    public static IResult PreconditionFailed(long? currentVersion) =>
        Results.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The case has changed since the version in If-Match.",
            detail: currentVersion is { } v
                ? $"The case is at version {v}. Read it again and retry against that version."
                : "Another change was saved first. Read the case again and retry against its new version.",
            extensions: currentVersion is { } version ? new Dictionary<string, object?> { ["currentVersion"] = version } : null);

    public static IResult TooManyRequests(int retryAfterSeconds) =>
        Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            detail: $"This user has reached the limit for this endpoint. Retry after {retryAfterSeconds} seconds (Retry-After).");

    /// <summary>A caller refused before any endpoint ran (401 or 403), saying why.</summary>
    public static IResult Refused(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    public static IResult UnsupportedMediaType(string mediaType) =>
        Results.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: $"Send the body as {mediaType}.",
            detail: $"This endpoint reads a body with Content-Type: {mediaType}.");

    public static IResult PayloadTooLarge(long maxBytes) =>
        Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The request body is too large.",
            detail: $"At most {maxBytes} bytes are accepted.");

    /// <summary>A rejection from the domain: 400 naming the bad fields, else 409 because of the case's state.</summary>
    public static IResult Rejected(Rejection rejection) =>
        rejection.Errors is { } errors
            ? Validation(errors)
            : Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The case's state does not allow this command.",
                detail: rejection.Reason);

    /// <summary>The API's rendering of a use case's outcome; a recorded command answers its case and version with the ETag.</summary>
    public static IResult ToResult(this CaseOutcome outcome, HttpContext http) => outcome switch
    {
        CaseOutcome.Recorded recorded => Recorded(http, recorded),
        CaseOutcome.NotFound => CaseNotFound(),
        CaseOutcome.Stale stale => PreconditionFailed(stale.CurrentVersion),
        CaseOutcome.Refused refused => Rejected(refused.Rejection),
        CaseOutcome.Conflict conflict => Results.Problem(statusCode: conflict.Status, title: conflict.Title, detail: conflict.Detail),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.GetType().Name, null),
    };

    static IResult Recorded(HttpContext http, CaseOutcome.Recorded recorded)
    {
        http.Response.Headers.ETag = IfMatch.ETag(recorded.Version);
        if (recorded.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        var body = new CaseCommandResult(recorded.CaseId, recorded.Version);
        return recorded.Created ? Results.Created($"/api/cases/{recorded.CaseId}", body) : Results.Ok(body);
    }
}
