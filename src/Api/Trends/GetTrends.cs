using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;
using Defence.Projections.Trends;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Trends;

/// <summary>The answer to a trends question (docs/http-api.md, "Trends" and "Trends: comparison and small numbers").</summary>
/// <param name="From">The first day of the period (inclusive, on the incident date), if given.</param>
/// <param name="To">The last day of the period (inclusive), if given.</param>
/// <param name="Total">Cases in the period and filters; a case with several channels counts once. Never suppressed.</param>
/// <param name="GmcComplaints">Of those, cases with a GMC complaint linked; null when suppressed.</param>
/// <param name="AllegationsWithdrawn">Of those, cases whose allegation was withdrawn; null when suppressed.</param>
/// <param name="Previous">With <c>compare=previous</c>: the period of equal length just before, and its total; else null.</param>
/// <param name="SuppressBelow">The suppression applied (counts from 1 to this minus 1 are null), or null for none.</param>
/// <param name="Rows">
/// One per key, largest count first: the key (e.g. <c>specialty</c>), <c>count</c>, <c>share</c> = count / total,
/// <c>gmcComplaints</c>, <c>allegationsWithdrawn</c>; with <c>compare=previous</c> also <c>previousCount</c> and
/// <c>change</c> = (count - previousCount) / previousCount (null when previousCount is 0); under suppression also
/// <c>suppressed</c>, true when any of the row's figures is answered as null for being from 1 to k-1.
/// </param>
/// <param name="AsOf">The statistics include every event up to this time.</param>
public sealed record TrendsResponse(
    DateOnly? From, DateOnly? To, long Total, long? GmcComplaints, long? AllegationsWithdrawn,
    TrendsPrevious? Previous, int? SuppressBelow,
    IReadOnlyList<Dictionary<string, object?>> Rows, DateTimeOffset? AsOf)
{
    public static TrendsResponse Of(TrendAnswer answer) => new(
        answer.Question.Request.From, answer.Question.Request.To, answer.Total, answer.GmcComplaints, answer.AllegationsWithdrawn,
        answer.Previous, answer.Question.SuppressBelow, answer.Lines.Select(l => TrendAnswers.Row(answer, l)).ToList(), answer.AsOf);
}

public static class GetTrendsEndpoint
{
    /// <summary>Count cases by one or two dimensions, over a period, with optional filters, comparison and suppression.</summary>
    /// <param name="by">One or two of <c>specialty</c>, <c>channel</c>, <c>concern</c>, <c>year</c>, comma separated.</param>
    /// <param name="from">First day (YYYY-MM-DD, inclusive) of the incident dates counted.</param>
    /// <param name="to">Last day (YYYY-MM-DD, inclusive).</param>
    /// <param name="specialty">Count only cases of this specialty code.</param>
    /// <param name="channel">Count only cases with this channel code among theirs.</param>
    /// <param name="concern">Count only cases of this concern code.</param>
    /// <param name="compare"><c>previous</c>: also count the period of equal length just before (needs <c>from</c> and <c>to</c>).</param>
    /// <param name="suppress">2 to 20: answer every count from 1 to this minus 1 as suppressed (default: the tenant's <c>Trends:SuppressBelow</c>, none if unset).</param>
    /// <remarks>Send <c>Accept: text/csv</c> for the rows as CSV (a suppressed count reads <c>&lt;k</c>).</remarks>
    [WolverineGet("/api/trends"), AllowRoles(Roles.Analyst, Roles.TenantAdmin), Tags("Trends")]
    [ProducesResponseType<TrendsResponse>(StatusCodes.Status200OK, "application/json", "text/csv")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Get(
        IQuerySession session, HttpContext http, TrendSettings settings,
        string? by, string? from, string? to, string? specialty, string? channel, string? concern, string? compare, string? suppress)
    {
        var errors = new FieldErrors();
        var question = TrendAnswers.Parse(errors, by, from, to, specialty, channel, concern, compare, suppress, settings.SuppressBelow(session.TenantId));
        if (errors.Any) return Problems.Validation(errors);

        var answer = await session.AnswerAsync(question, http.RequestAborted);

        if (http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
            return Results.Text(TrendAnswers.Csv(answer), "text/csv; charset=utf-8");

        return Results.Ok(TrendsResponse.Of(answer));
    }
}
