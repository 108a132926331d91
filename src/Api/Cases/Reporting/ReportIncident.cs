using Defence.Api.Auditing;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Api.Limits;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using Defence.Projections.Cases;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Defence.Api.Cases.Reporting;

/// <summary>A member reports an incident, from the API or the portal.</summary>
public sealed class Reports(IDocumentStore store, ReportWriter writer, TimeProvider clock)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>
    /// Starts a case owned by the signed-in member. With an idempotency key, the same member sending the same key
    /// again gets the same case back, and a different report under a used key is refused.
    /// </summary>
    public async Task<CaseOutcome> ReportAsync(HttpContext http, string? idempotencyKey, ReportIncident? command)
    {
        if (command is null) return CaseOutcome.NoBody;
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl)))
            return CaseOutcome.Invalid(IdempotencyKeyHeader, $"Must be 1 to {MaxIdempotencyKeyLength} characters without control characters.");

        var actor = Actor.Of(http);
        var now = clock.GetUtcNow();
        // A key names one report of one member of one tenant: a retry lands on the same stream, and Marten's
        // unique stream id stops a racing duplicate.
        var caseId = idempotencyKey is not null ? CaseIds.Named($"report/{actor.Tenant}/{actor.UserId:N}/{idempotencyKey}") : Guid.CreateVersion7(now);
        var decision = Case.Report(caseId, actor.UserId, command, now);
        if (decision.Rejection is { } rejection) return new CaseOutcome.Refused(rejection);
        var report = decision.Event!;

        if (idempotencyKey is not null)
        {
            await using var session = store.QuerySession(actor.Tenant);
            if (await session.LoadAsync<CaseView>(caseId, http.RequestAborted) is { } existing)
                return SameReport(existing, report)
                    ? new CaseOutcome.Recorded(caseId, existing.Version, Created: true, Replayed: true)
                    : new CaseOutcome.Conflict(StatusCodes.Status422UnprocessableEntity,
                        "This Idempotency-Key was already used for a different report.", "Use a new key for a new report.");
        }

        try
        {
            await writer.WriteAsync(actor, s => s.Events.StartStream<Case>(caseId, report), http.RequestAborted);
        }
        catch (ExistingStreamIdCollisionException)
        {
            return new CaseOutcome.Conflict(StatusCodes.Status409Conflict,
                "A report with this Idempotency-Key is already being recorded.", "Retry the same request to get its result.");
        }
        return new CaseOutcome.Recorded(caseId, 1, Created: true);
    }

    static bool SameReport(CaseView existing, ReportReceived report) =>
        existing.Specialty == Code.Of(report.Specialty)
        && existing.Channels.Order().SequenceEqual(report.Channels.Select(Code.Of).Order())
        && existing.Concern == Code.Of(report.Concern)
        && existing.OccurredOn == report.OccurredOn
        && existing.Summary == report.Summary
        && existing.PatientReference == report.PatientReference;
}

public static class ReportIncidentEndpoint
{
    /// <summary>Report an incident. Starts a case owned by the calling member.</summary>
    /// <remarks>
    /// Send an <c>Idempotency-Key</c> header to make retries safe: the same member sending the same key
    /// again gets the same case back (201, with <c>Idempotent-Replayed: true</c>) and no second case exists.
    /// Reusing a key for a different report is refused with 422. Each member may send a limited number of
    /// reports per time window (429 with <c>Retry-After</c> beyond it).
    /// </remarks>
    [WolverinePost("/api/reports"), AllowRoles(Roles.Member), Tags("Cases")]
    [EnableRateLimiting(AbuseLimits.Reports)]
    [ProducesResponseType<CaseCommandResult>(StatusCodes.Status201Created)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public static async Task<IResult> Post(ReportIncident request, Reports reports, HttpContext http)
    {
        var key = http.Request.Headers.TryGetValue(Reports.IdempotencyKeyHeader, out var header) ? header.ToString() : null;
        return (await reports.ReportAsync(http, key, request)).ToResult(http);
    }
}
