using Defence.Api.Errors;
using Microsoft.AspNetCore.Http.Metadata;

namespace Defence.Api.Limits;

/// <summary>
/// An endpoint that reads a JSON body reads only a body labelled JSON: anything else answers 415 before the body is
/// read. A body sent as text/plain or a form is what a cross-site form can send without asking, so it never counts.
/// </summary>
public static class JsonBodyContentType
{
    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: not null } accepts
            && accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase))
            && !http.Request.HasJsonContentType())
        {
            await Problems.UnsupportedMediaType("application/json").ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
