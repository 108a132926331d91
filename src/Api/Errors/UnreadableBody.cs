using System.Text.RegularExpressions;

namespace Defence.Api.Errors;

/// <summary>
/// Wolverine answers a body it cannot deserialize with its own 400 ("Invalid JSON format") through the
/// problem details service. This gives that answer the shape of every other validation failure: an
/// <c>errors</c> object naming the field (from the JSON path), or <c>body</c> when the JSON itself is broken.
/// </summary>
public static partial class UnreadableBody
{
    const string WolverineTitle = "Invalid JSON format";

    public static void Reshape(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status != StatusCodes.Status400BadRequest || problem.Title != WolverineTitle) return;

        var detail = problem.Detail ?? "The body is not valid JSON.";
        var path = JsonPath().Match(detail);
        var field = path.Success && path.Groups["field"].Value.Length > 0 ? path.Groups["field"].Value : "body";
        var message = path.Success ? detail[..path.Index].TrimEnd() : detail;
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            message = field == "body"
                ? "The body must be a JSON object."
                : $"'{field}' has the wrong type or format (dates are YYYY-MM-DD, times ISO 8601 with an offset).";

        problem.Title = "The request is not valid.";
        problem.Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1";
        problem.Detail = null;
        problem.Extensions.Remove("lineNumber");
        problem.Extensions.Remove("bytePositionInLine");
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
    }

    [GeneratedRegex(@"\s*Path: \$\.?(?<field>[^ |]*)")]
    private static partial Regex JsonPath();
}
