using System.Globalization;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Listing;

/// <summary>A page of a case list, as asked for in a query string (the API's or the desk's).</summary>
public sealed record CaseListQuery(CaseListFilter Filter, int Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    /// <summary>Far beyond any tenant's cases, and low enough that the row offset can never overflow.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Parses the filters and paging; problems are added to <paramref name="errors"/>.</summary>
    public static CaseListQuery Parse(
        FieldErrors errors, string? status, string? page, string? pageSize,
        string? specialty = null, string? channel = null, string? concern = null, string? assignedTo = null, Guid? memberId = null)
    {
        var filter = new CaseListFilter(
            Status: Code<CaseStatus>(errors, status, "status"),
            Specialty: Code<Specialty>(errors, specialty, "specialty"),
            Channel: Code<Channel>(errors, channel, "channel"),
            Concern: Code<Concern>(errors, concern, "concern"),
            AssignedTo: UserId(errors, assignedTo, "assignedTo"),
            MemberId: memberId);
        return new CaseListQuery(filter,
            Number(errors, page, "page", 1, MaxPage, 1),
            Number(errors, pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize));
    }

    /// <summary>A filter code, kept as the code itself once known to be one (parsing is exact).</summary>
    static string? Code<T>(FieldErrors errors, string? code, string field) where T : struct, Enum =>
        string.IsNullOrEmpty(code) || errors.OptionalCode<T>(code, field) is null ? null : code;

    static Guid? UserId(FieldErrors errors, string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (Guid.TryParse(value, out var id)) return id;
        errors.Add(field, "Must be a user id (a GUID).");
        return null;
    }

    static int Number(FieldErrors errors, string? value, string field, int min, int max, int fallback)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max) return number;
        errors.Add(field, $"Must be a whole number from {min} to {max}.");
        return fallback;
    }
}

public static class ListCasesEndpoint
{
    /// <summary>List the tenant's cases, newest report first, filtered and paged.</summary>
    /// <param name="status"><c>open</c> or <c>closed</c>.</param>
    /// <param name="specialty">A specialty code.</param>
    /// <param name="channel">A channel code: cases with that channel among theirs.</param>
    /// <param name="concern">A concern code.</param>
    /// <param name="assignedTo">The assigned adviser's id.</param>
    /// <param name="page">Page number, from 1 (default 1).</param>
    /// <param name="pageSize">Cases per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/cases"), AllowRoles(Roles.Adviser, Roles.TenantAdmin), Tags("Cases")]
    [ProducesResponseType<CasePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Get(
        IQuerySession session, HttpContext http,
        string? status, string? specialty, string? channel, string? concern, string? assignedTo, string? page, string? pageSize)
    {
        var errors = new FieldErrors();
        var query = CaseListQuery.Parse(errors, status, page, pageSize, specialty, channel, concern, assignedTo);
        if (errors.Any) return Problems.Validation(errors);

        return Results.Ok(await session.ListCasesAsync(query.Filter, query.Page, query.PageSize, http.RequestAborted));
    }

    /// <summary>The calling member's own cases, newest first.</summary>
    /// <param name="status"><c>open</c> or <c>closed</c>.</param>
    /// <param name="page">Page number, from 1 (default 1).</param>
    /// <param name="pageSize">Cases per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/me/cases"), AllowRoles(Roles.Member), Tags("Cases")]
    [ProducesResponseType<CasePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> GetMine(IQuerySession session, HttpContext http, string? status, string? page, string? pageSize)
    {
        var errors = new FieldErrors();
        var query = CaseListQuery.Parse(errors, status, page, pageSize, memberId: http.User.UserId());
        if (errors.Any) return Problems.Validation(errors);

        return Results.Ok(await session.ListCasesAsync(query.Filter, query.Page, query.PageSize, http.RequestAborted));
    }
}
