using System.Security.Claims;
using Defence.Api.Auditing;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Api.Limits;
using Defence.Api.OpenApi;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Defence.Api.Cases.Reporting;

/// <summary>A member's report of an incident.</summary>
/// <param name="Specialty">The member's specialty code, e.g. <c>general-practice</c>.</param>
/// <param name="Channels">How the patient made contact: at least one channel code.</param>
/// <param name="Concern">The concern code, e.g. <c>amorous-advances</c>.</param>
/// <param name="OccurredOn">The date of the incident (YYYY-MM-DD), not in the future.</param>
/// <param name="Summary">What happened, 1 to 4000 characters.</param>
/// <param name="PatientReference">Optional: the patient's initials and year of birth only, e.g. <c>JS 1984</c>.</param>
public sealed record ReportIncidentRequest(
    [property: VocabularyCode(typeof(Specialty))] string? Specialty,
    [property: VocabularyCode(typeof(Channel))] IReadOnlyList<string?>? Channels,
    [property: VocabularyCode(typeof(Concern))] string? Concern,
    DateOnly? OccurredOn,
    string? Summary, string? PatientReference);

public static class ReportIncidentEndpoint
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    const int MaxIdempotencyKeyLength = 255;

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
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public static async Task<IResult> Post(
        ReportIncidentRequest request, IQuerySession session, ReportWriter writer, HttpContext http, ClaimsPrincipal user, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var errors = new RequestErrors();
        var specialty = errors.Code<Specialty>(request.Specialty, "specialty");
        var channels = errors.Codes<Channel>(request.Channels, "channels", atLeastOne: true);
        var concern = errors.Code<Concern>(request.Concern, "concern");
        var occurredOn = errors.Required(request.OccurredOn, "occurredOn");
        var summary = errors.Text(request.Summary, "summary");

        if (request.OccurredOn > Case.LatestToday(now))
            errors.Add("occurredOn", "'occurredOn' cannot be in the future.");
        if (request.OccurredOn < Case.EarliestIncidentDate)
            errors.Add("occurredOn", $"'occurredOn' cannot be before {Case.EarliestIncidentDate:yyyy-MM-dd}.");

        string? patientReference = null;
        if (!string.IsNullOrWhiteSpace(request.PatientReference)
            && !PatientReference.TryNormalise(request.PatientReference, now.Year, out patientReference!))
            errors.Add("patientReference", $"Give only {PatientReference.Format}.");

        var key = http.Request.Headers[IdempotencyKeyHeader].ToString();
        if (http.Request.Headers.ContainsKey(IdempotencyKeyHeader) && (key.Length is 0 or > MaxIdempotencyKeyLength))
            errors.Add(IdempotencyKeyHeader, $"The Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters.");

        if (errors.Problem is { } problem) return problem;

        var memberId = user.UserId();
        // A key names one report of one member of one tenant: a retry lands on the same stream, and
        // Marten's unique stream id stops a racing duplicate.
        var caseId = key.Length > 0 ? CaseIds.Named($"report/{user.Tenant()}/{memberId:N}/{key}") : Guid.CreateVersion7(now);
        var report = Case.Report(caseId, memberId, specialty, channels, concern, occurredOn, summary, patientReference, now);

        if (key.Length > 0 && await session.LoadAsync<CaseView>(caseId, http.RequestAborted) is { } existing)
        {
            if (!SameReport(existing, report))
                return Results.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "This Idempotency-Key was already used for a different report.",
                    detail: "Use a new key for a new report.");
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return CaseCommand.Answer(http, caseId, existing.Version, StatusCodes.Status201Created);
        }

        await writer.WriteAsync(session.TenantId, Correlation.Of(http), user.FindFirstValue(ClaimNames.UserId),
            s => s.Events.StartStream<Case>(caseId, report), http.RequestAborted);
        return CaseCommand.Answer(http, caseId, 1, StatusCodes.Status201Created);
    }

    static bool SameReport(CaseView existing, ReportReceived report) =>
        existing.Specialty == Code.Of(report.Specialty)
        && existing.Channels.Order().SequenceEqual(report.Channels.Select(Code.Of).Order())
        && existing.Concern == Code.Of(report.Concern)
        && existing.OccurredOn == report.OccurredOn
        && existing.Summary == report.Summary
        && existing.PatientReference == report.PatientReference;
}
