using Defence.Domain.Cases;

namespace Defence.Api.Errors;

/// <summary>The problem responses (RFC 9457) the endpoints answer with, so each reads the same everywhere.</summary>
public static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The same answer whether the case does not exist, is another tenant's, or is another member's.</summary>
    public static IResult CaseNotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Case not found.");

    public static IResult PreconditionFailed(long currentVersion) =>
        Results.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The case has changed since the version in If-Match.",
            detail: $"The case is at version {currentVersion}. Read it again and retry against that version.",
            extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static IResult TooManyRequests(int retryAfterSeconds) =>
        Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            detail: $"This user has reached the limit for this endpoint. Retry after {retryAfterSeconds} seconds (Retry-After).");

    public static IResult PayloadTooLarge(long maxBytes) =>
        Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The request body is too large.",
            detail: $"At most {maxBytes} bytes are accepted.");

    /// <summary>A rejection from a case decision: 400 on a named field, else 409 because of the case's state.</summary>
    public static IResult Rejected(Rejection rejection) =>
        rejection.Field is { } field
            ? Validation(field, rejection.Reason)
            : Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The case's state does not allow this command.",
                detail: rejection.Reason);
}
