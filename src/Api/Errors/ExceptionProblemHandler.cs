using System.Globalization;
using System.Net.Sockets;
using Defence.Api.Auditing;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Defence.Api.Errors;

/// <summary>
/// The one place exceptions become problem responses. Expected failures (an unreadable or oversized request, a
/// concurrent write, the database out of reach) get their proper status; anything else is a 500 that says nothing
/// about the server's insides. Each failure is logged once, with the correlation id, by type and stack only
/// (<see cref="SafeLog"/>): exception messages can quote personal data.
/// </summary>
public sealed class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before retrying while the database is out of reach.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = Map(http, exception);
        var correlation = Correlation.Of(http);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            logger.LogWarning("The database is out of reach on {Method} {Path} [{CorrelationId}]: {Failure}",
                http.Request.Method, http.GetEndpoint()?.DisplayName ?? "(no endpoint)", correlation, SafeLog.Describe(exception));
        }
        else if (problem.Status >= 500)
            logger.LogError("Unhandled failure on {Method} {Endpoint} [{CorrelationId}]: {Failure}",
                http.Request.Method, http.GetEndpoint()?.DisplayName ?? "(no endpoint)", correlation, SafeLog.DescribeWithStack(exception));

        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    static ProblemDetails Map(HttpContext http, Exception exception) => Unwrap(exception) switch
    {
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.",
        },
        ExistingStreamIdCollisionException => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "A report with this Idempotency-Key is already being recorded.",
            Detail = "Retry the same request to get its result.",
        },
        ConcurrencyException when http.Request.Headers.IfMatch.Count > 0 => new ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = "The case has changed since the version in If-Match.",
            Detail = "Another change was saved first. Read the case again and retry against its new version.",
        },
        ConcurrencyException => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The case was changed by another request at the same time.",
            Detail = "Nothing was saved. Read the case again and retry.",
        },
        CommitOutcomeUnknownException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is briefly unavailable.",
            Detail = "The database connection was lost while saving, so the change may or may not have been saved. " +
                     $"After {DatabaseRetryAfterSeconds} seconds (Retry-After), read the case, or send the same request again " +
                     "with its Idempotency-Key or If-Match, which cannot save it twice.",
            Extensions = { ["saved"] = "unknown" },
        },
        var e when IsDatabaseOutOfReach(e) => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is briefly unavailable.",
            Detail = $"Nothing was saved. Retry after {DatabaseRetryAfterSeconds} seconds (Retry-After).",
            Extensions = { ["saved"] = false },
        },
        _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." },
    };

    /// <summary>The database cannot be reached or is shutting down, as opposed to refusing a statement.</summary>
    public static bool IsDatabaseOutOfReach(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseConnectionLostException or CommitOutcomeUnknownException) return true;
            if (e is PostgresException pg)
                // 57P01-03: the server is shutting down or cannot connect now; 53300: too many connections; 08xxx: connection failures.
                return pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
            if (e is SocketException or TimeoutException || e is NpgsqlException { IsTransient: true })
                return true;
        }
        return false;
    }

    static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
}

/// <summary>A write failed because the database dropped its connection (a restart, a failover, a network cut).</summary>
public sealed class DatabaseConnectionLostException(Exception failure)
    : Exception("The database connection was lost during a write.", failure);

/// <summary>The connection was lost during a commit: whether the database committed cannot be known until it is back.</summary>
public sealed class CommitOutcomeUnknownException(Exception failure)
    : Exception("The database connection was lost during a commit; the outcome is unknown.", failure);
