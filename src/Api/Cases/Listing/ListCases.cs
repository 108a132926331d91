using System.Security.Claims;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Vocabulary;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Cases.Listing;

public static class ListCasesEndpoint
{
    const int DefaultPageSize = 20;
    const int MaxPageSize = 100;

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
        var errors = new RequestErrors();
        var filter = new CaseListFilter(
            Status: errors.OptionalCodeText<CaseStatus>(status, "status"),
            Specialty: errors.OptionalCodeText<Specialty>(specialty, "specialty"),
            Channel: errors.OptionalCodeText<Channel>(channel, "channel"),
            Concern: errors.OptionalCodeText<Concern>(concern, "concern"),
            AssignedTo: ParseGuid(assignedTo, "assignedTo", errors));
        var (pageNumber, size) = ParsePaging(page, pageSize, errors);
        if (errors.Problem is { } problem) return problem;

        return Results.Ok(await session.ListCasesAsync(filter, pageNumber, size, http.RequestAborted));
    }

    /// <summary>The calling member's own cases, newest first.</summary>
    /// <param name="status"><c>open</c> or <c>closed</c>.</param>
    /// <param name="page">Page number, from 1 (default 1).</param>
    /// <param name="pageSize">Cases per page, 1 to 100 (default 20).</param>
    [WolverineGet("/api/me/cases"), AllowRoles(Roles.Member), Tags("Cases")]
    [ProducesResponseType<CasePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> GetMine(
        IQuerySession session, HttpContext http, ClaimsPrincipal user, string? status, string? page, string? pageSize)
    {
        var errors = new RequestErrors();
        var filter = new CaseListFilter(
            Status: errors.OptionalCodeText<CaseStatus>(status, "status"),
            MemberId: user.UserId());
        var (pageNumber, size) = ParsePaging(page, pageSize, errors);
        if (errors.Problem is { } problem) return problem;

        return Results.Ok(await session.ListCasesAsync(filter, pageNumber, size, http.RequestAborted));
    }


    static Guid? ParseGuid(string? value, string field, RequestErrors errors)
    {
        if (value is null) return null;
        if (Guid.TryParse(value, out var id)) return id;
        errors.Add(field, $"'{field}' must be a user id (a GUID).");
        return null;
    }

    static (int Page, int PageSize) ParsePaging(string? page, string? pageSize, RequestErrors errors)
    {
        var pageNumber = 1;
        if (page is not null && (!int.TryParse(page, out pageNumber) || pageNumber < 1))
            errors.Add("page", "'page' must be a whole number from 1.");
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
            errors.Add("pageSize", $"'pageSize' must be a whole number from 1 to {MaxPageSize}.");
        return (pageNumber, size);
    }
}
