using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Defence.Api.Errors;

/// <summary>
/// The one place exceptions become problem responses. Expected failures (an unreadable or oversized
/// request, a concurrent write) get their proper status; anything else is a 500 that says nothing about the server's insides.
/// </summary>
public sealed class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = Map(http, exception);
        if (problem.Status >= 500)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);

        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    static ProblemDetails Map(HttpContext http, Exception exception) => Unwrap(exception) switch
    {
        BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = bad.Message },
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
        _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." },
    };

    static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
}
