using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;
using Defence.Projections.Trends;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Trends;

/// <summary>The answer to a trends question (docs/http-api.md, "Trends").</summary>
/// <param name="From">The first day of the period (inclusive, on the incident date), if given.</param>
/// <param name="To">The last day of the period (inclusive), if given.</param>
/// <param name="Total">Cases in the period and filters; a case with several channels counts once.</param>
/// <param name="GmcComplaints">Of those, cases with a GMC complaint linked.</param>
/// <param name="AllegationsWithdrawn">Of those, cases whose allegation was withdrawn.</param>
/// <param name="Rows">One per key, largest count first: the key (e.g. <c>specialty</c>), <c>count</c>, <c>share</c> = count / total, <c>gmcComplaints</c>, <c>allegationsWithdrawn</c>.</param>
/// <param name="AsOf">The statistics include every event up to this time.</param>
public sealed record TrendsResponse(
    DateOnly? From, DateOnly? To, long Total, long GmcComplaints, long AllegationsWithdrawn,
    IReadOnlyList<Dictionary<string, object>> Rows, DateTimeOffset? AsOf);

public static class GetTrendsEndpoint
{
    /// <summary>Count cases by one or two dimensions, over a period, with optional filters.</summary>
    /// <param name="by">One or two of <c>specialty</c>, <c>channel</c>, <c>concern</c>, <c>year</c>, comma separated.</param>
    /// <param name="from">First day (YYYY-MM-DD, inclusive) of the incident dates counted.</param>
    /// <param name="to">Last day (YYYY-MM-DD, inclusive).</param>
    /// <param name="specialty">Count only cases of this specialty code.</param>
    /// <param name="channel">Count only cases with this channel code among theirs.</param>
    /// <param name="concern">Count only cases of this concern code.</param>
    /// <remarks>Send <c>Accept: text/csv</c> for the rows as CSV.</remarks>
    [WolverineGet("/api/trends"), AllowRoles(Roles.Analyst, Roles.TenantAdmin), Tags("Trends")]
    [ProducesResponseType<TrendsResponse>(StatusCodes.Status200OK, "application/json", "text/csv")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Get(
        IQuerySession session, HttpContext http,
        string? by, string? from, string? to, string? specialty, string? channel, string? concern)
    {
        var errors = new FieldErrors();
        var dimensions = ParseDimensions(by, errors);
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (fromDate > toDate) errors.Add("from", "Must not be after 'to'.");
        var request = new TrendRequest(
            dimensions, fromDate, toDate,
            Specialty: FilterCode<Specialty>(errors, specialty, "specialty"),
            Channel: FilterCode<Channel>(errors, channel, "channel"),
            Concern: FilterCode<Concern>(errors, concern, "concern"));
        if (errors.Any) return Problems.Validation(errors);

        var result = await session.RunAsync(request, http.RequestAborted);
        var rows = result.Rows.Select(row => Row(row, result.Total)).ToList();

        if (http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
            return Results.Text(Csv(dimensions, rows), "text/csv; charset=utf-8");

        return Results.Ok(new TrendsResponse(fromDate, toDate, result.Total, result.GmcComplaints, result.AllegationsWithdrawn, rows, result.Freshness.AsOf));
    }

    static Dictionary<string, object> Row(TrendRow row, long total)
    {
        var fields = row.Key.ToDictionary(k => Name(k.Key), k => k.Value);
        fields["count"] = row.Count;
        fields["share"] = total == 0 ? 0.0 : Math.Round((double)row.Count / total, 4);
        fields["gmcComplaints"] = row.GmcComplaints;
        fields["allegationsWithdrawn"] = row.AllegationsWithdrawn;
        return fields;
    }

    static string Csv(IReadOnlyList<TrendDimension> dimensions, IReadOnlyList<Dictionary<string, object>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        string[] columns = [.. dimensions.Select(Name), "count", "share", "gmcComplaints", "allegationsWithdrawn"];
        foreach (var column in columns) csv.WriteField(column);
        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var column in columns) csv.WriteField(Convert.ToString(row[column], CultureInfo.InvariantCulture));
            csv.NextRecord();
        }
        csv.Flush();
        return text.ToString();
    }

    static string Name(TrendDimension dimension) => JsonNamingPolicy.CamelCase.ConvertName(dimension.ToString());

    static string? FilterCode<T>(FieldErrors errors, string? code, string field) where T : struct, Enum =>
        string.IsNullOrEmpty(code) || errors.OptionalCode<T>(code, field) is null ? null : code;

    static IReadOnlyList<TrendDimension> ParseDimensions(string? by, FieldErrors errors)
    {
        var names = (by ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var valid = Enum.GetValues<TrendDimension>().ToDictionary(Name);
        var dimensions = new List<TrendDimension>();
        foreach (var name in names)
        {
            if (valid.TryGetValue(name, out var dimension)) dimensions.Add(dimension);
            else errors.Add("by", $"{FreeText.Quote(name)} is not a dimension; expected one or two of: {string.Join(", ", valid.Keys)}.");
        }
        if (names.Length is 0 or > 2) errors.Add("by", "Give one or two dimensions, comma separated, e.g. 'specialty' or 'specialty,year'.");
        if (dimensions.Distinct().Count() != dimensions.Count) errors.Add("by", "A dimension may appear only once.");
        return dimensions;
    }

    static DateOnly? ParseDate(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(field, CaseDates.NotADateMessage);
        return null;
    }

}
