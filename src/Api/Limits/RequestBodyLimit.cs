using Defence.Api.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Defence.Api.Limits;

/// <summary>
/// Holds request bodies to <c>Limits:MaxRequestBodyBytes</c>. A declared <c>Content-Length</c> over it is
/// answered 413 at once, unread. A body without one (chunked, as HttpClient sends JSON) is held to the same
/// ceiling by the server while it streams: its read fails with a 413 <see cref="BadHttpRequestException"/>,
/// which <see cref="ExceptionProblemHandler"/> answers as a problem.
/// </summary>
public sealed class RequestBodyLimit(long maxBytes)
{
    public long MaxBytes { get; } = maxBytes;

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.ContentLength > MaxBytes)
        {
            await Problems.PayloadTooLarge(MaxBytes).ExecuteAsync(http);
            return;
        }

        // Per request rather than in Kestrel's options, so the one setting holds on any server with the feature.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
            serverLimit.MaxRequestBodySize = MaxBytes;

        await next(http);
    }
}
