using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;

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
                : $"'{field}' must be {Expected(context.HttpContext, field)}.";

        problem.Title = "The request is not valid.";
        problem.Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1";
        problem.Detail = null;
        problem.Extensions.Remove("lineNumber");
        problem.Extensions.Remove("bytePositionInLine");
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
    }

    /// <summary>What the field holds, in words, from the type of the body's property of that name.</summary>
    static string Expected(HttpContext http, string field)
    {
        var name = field.Split('[', '.')[0];
        var property = http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType?
            .GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null) return "of another type or format";
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (field.Contains('[') && type.IsGenericType) type = type.GetGenericArguments()[0];
        return type switch
        {
            _ when type == typeof(DateOnly) => "a date, YYYY-MM-DD",
            _ when type == typeof(DateTimeOffset) => "a date and time with an offset, ISO 8601 (e.g. 2026-10-02T09:30:00Z)",
            _ when type == typeof(Guid) => "an id (a GUID)",
            _ when type == typeof(string) => "text (a JSON string)",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "a list (a JSON array)",
            _ => "of another type or format",
        };
    }

    [GeneratedRegex(@"\s*Path: \$\.?(?<field>[^ |]*)")]
    private static partial Regex JsonPath();
}
