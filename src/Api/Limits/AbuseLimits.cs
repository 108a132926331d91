using System.Globalization;
using System.Threading.RateLimiting;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Defence.Api.Limits;

/// <summary>A fixed window per user: at most <see cref="PermitLimit"/> calls every <see cref="WindowSeconds"/>.</summary>
public sealed record RateLimit(int PermitLimit, int WindowSeconds);

/// <summary>
/// Limits against abuse (OWASP API4): per-user rate limits on the endpoints that create data in bulk or
/// start work, and a ceiling on request bodies. Configured under <c>RateLimits</c> and <c>Limits</c>.
/// </summary>
public static class AbuseLimits
{
    /// <summary>The policy of <c>POST /api/reports</c> (configuration <c>RateLimits:Reports</c>).</summary>
    public const string Reports = "reports";
    /// <summary>The policy of <c>POST /api/imports/cases</c> (configuration <c>RateLimits:Imports</c>).</summary>
    public const string Imports = "imports";

    static readonly Dictionary<string, RateLimit> Defaults = new()
    {
        [Reports] = new RateLimit(PermitLimit: 30, WindowSeconds: 60),
        [Imports] = new RateLimit(PermitLimit: 5, WindowSeconds: 60),
    };

    /// <summary>
    /// Well above an oversized text (a 5 MB summary, say), which is answered as a validation failure (400) naming
    /// the field (docs/http-api.md, "Limits"), so that answer is reachable; and far below what would let one
    /// request tie up memory or disk.
    /// </summary>
    public const long DefaultMaxRequestBodyBytes = 8 * 1024 * 1024;

    /// <summary>An import file is spooled to disk, never held in memory: 256 MiB is about two million rows.</summary>
    public const long DefaultMaxImportBodyBytes = 256 * 1024 * 1024;

    public static IServiceCollection AddDefenceLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = Defaults.Keys.ToDictionary(policy => policy, policy => RateLimitFor(configuration, policy));
        var maxBody = Bytes(configuration, "Limits:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        var maxImport = Bytes(configuration, "Limits:MaxImportBodyBytes", DefaultMaxImportBodyBytes);

        services.AddSingleton(new RequestBodyLimit(maxBody, maxImport));
        services.AddRateLimiter(options =>
        {
            foreach (var (policy, limit) in limits)
                options.AddPolicy(policy, PerUser(limit));
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>Rate limits then the body ceiling; after authorization, so only a known user's calls are counted or read.</summary>
    public static IApplicationBuilder UseDefenceLimits(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        var bodyLimit = app.ApplicationServices.GetRequiredService<RequestBodyLimit>();
        return app.Use(bodyLimit.InvokeAsync).Use(JsonBodyContentType.InvokeAsync);
    }

    public static RateLimit RateLimitFor(IConfiguration configuration, string policy)
    {
        var name = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(policy);
        var section = configuration.GetSection($"RateLimits:{name}");
        var limit = new RateLimit(
            section.GetValue<int?>(nameof(RateLimit.PermitLimit)) ?? Defaults[policy].PermitLimit,
            section.GetValue<int?>(nameof(RateLimit.WindowSeconds)) ?? Defaults[policy].WindowSeconds);
        if (limit.PermitLimit < 1 || limit.WindowSeconds < 1)
            throw new InvalidOperationException(
                $"RateLimits:{name}:PermitLimit and RateLimits:{name}:WindowSeconds must be at least 1 (got {limit.PermitLimit} and {limit.WindowSeconds}).");
        return limit;
    }

    public static long MaxRequestBodyBytes(IConfiguration configuration) =>
        Bytes(configuration, "Limits:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);

    static long Bytes(IConfiguration configuration, string key, long fallback)
    {
        var bytes = configuration.GetValue<long?>(key) ?? fallback;
        if (bytes < 1)
            throw new InvalidOperationException($"{key} must be a positive number of bytes (got {bytes}).");
        return bytes;
    }

    /// <summary>
    /// One window per user, keyed by the product tenant and <c>oid</c> (the pair that owns the user's data),
    /// so one user's burst never slows another user down.
    /// </summary>
    public static Func<HttpContext, RateLimitPartition<string>> PerUser(RateLimit limit) => http =>
        RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    // The limited endpoints require a tenant user, so authorization has refused anyone without both claims;
    // the fallback key only keeps a misconfigured endpoint limited rather than unlimited.
    static string PartitionKey(HttpContext http) =>
        $"{http.User.FindFirst(ClaimNames.Tenant)?.Value}/{http.User.FindFirst(ClaimNames.UserId)?.Value}";

    static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.TooManyRequests(seconds).ExecuteAsync(http);
    }
}
