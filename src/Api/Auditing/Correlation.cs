using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Defence.Api.Auditing;

/// <summary>
/// The correlation id of one request: the caller's <c>X-Correlation-Id</c> when it sends a usable one,
/// else the trace id of its W3C <c>traceparent</c>, else the trace id ASP.NET Core started for the request
/// (so it matches the request's logs and traces), else a new id. Answered in the <c>X-Correlation-Id</c>
/// response header and stored on every event the request appends.
/// </summary>
public static partial class Correlation
{
    public const string Header = "X-Correlation-Id";
    const int MaxLength = 128;

    public static string Of(HttpContext http) =>
        http.Features.Get<Feature>()?.Id ?? throw new InvalidOperationException("The correlation middleware has not run for this request.");

    /// <summary>First in the pipeline, so every answer carries the header, errors and refusals included.</summary>
    public static IApplicationBuilder UseCorrelation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var id = Resolve(http.Request.Headers);
        http.Features.Set(new Feature(id));
        // On starting, because the exception handler clears the headers of a response it replaces.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        await next(http);
    });

    static string Resolve(IHeaderDictionary headers)
    {
        // A caller's id is stored in the audit trail and echoed: accept only a plain token, never arbitrary text.
        if (headers[Header] is [{ } given] && given.Length <= MaxLength && Token().IsMatch(given))
            return given;
        if (headers.TraceParent is [{ } traceparent] && ActivityContext.TryParse(traceparent, null, out var parent))
            return parent.TraceId.ToHexString();
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            return activity.TraceId.ToHexString();
        return Guid.NewGuid().ToString("N");
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex Token();

    sealed record Feature(string Id);
}
