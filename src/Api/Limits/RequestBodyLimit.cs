using Defence.Api.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Defence.Api.Limits;

/// <summary>
/// Holds request bodies to <c>Limits:MaxRequestBodyBytes</c>. A declared <c>Content-Length</c> over it is
/// answered 413 at once, unread. A body without one (chunked, as HttpClient sends JSON) is held to the same
/// ceiling by the server while it streams: its read fails with a 413 <see cref="BadHttpRequestException"/>,
/// which <see cref="ExceptionProblemHandler"/> answers as a problem.
/// </summary>
public sealed class RequestBodyLimit(long maxBytes, long maxImportBytes)
{
    public long MaxBytes { get; } = maxBytes;
    /// <summary>The ceiling of endpoints marked <see cref="ImportBodyLimitAttribute"/> (<c>Limits:MaxImportBodyBytes</c>).</summary>
    public long MaxImportBytes { get; } = maxImportBytes;

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<ImportBodyLimitAttribute>() is null ? MaxBytes : MaxImportBytes;
        if (http.Request.ContentLength > limit)
        {
            await Problems.PayloadTooLarge(limit).ExecuteAsync(http);
            return;
        }

        // Per request rather than in Kestrel's options, so the one setting holds on any server with the feature.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
            serverLimit.MaxRequestBodySize = limit;

        await next(http);
    }
}

/// <summary>Marks an endpoint that takes a whole file (a CSV import): its body may be up to <c>Limits:MaxImportBodyBytes</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ImportBodyLimitAttribute : Attribute;
