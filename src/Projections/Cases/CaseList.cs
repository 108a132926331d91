using Marten;
using Marten.Linq;

namespace Defence.Projections.Cases;

/// <summary>One row of a case list: enough to triage, without the case's history.</summary>
public sealed record CaseListItem(
    Guid Id, long Version, string Status, string Specialty, string[] Channels, string Concern,
    DateOnly OccurredOn, DateTimeOffset ReportedAt, Guid? MemberId, Guid? AssignedTo);

/// <summary>The filters of <c>GET /api/cases</c>; codes are already validated.</summary>
public sealed record CaseListFilter(
    string? Status = null, string? Specialty = null, string? Channel = null, string? Concern = null,
    Guid? AssignedTo = null, Guid? MemberId = null);

public sealed record CasePage(IReadOnlyList<CaseListItem> Items, long Total, int Page, int PageSize);

public static class CaseList
{
    /// <summary>Newest reports first; the session's tenant scopes every row.</summary>
    public static async Task<CasePage> ListCasesAsync(
        this IQuerySession session, CaseListFilter filter, int page, int pageSize, CancellationToken ct)
    {
        IQueryable<CaseView> query = session.Query<CaseView>().Stats(out QueryStatistics stats);
        if (filter.Status is { } status) query = query.Where(c => c.Status == status);
        if (filter.Specialty is { } specialty) query = query.Where(c => c.Specialty == specialty);
        if (filter.Channel is { } channel) query = query.Where(c => c.Channels.Contains(channel));
        if (filter.Concern is { } concern) query = query.Where(c => c.Concern == concern);
        if (filter.AssignedTo is { } adviser) query = query.Where(c => c.AssignedTo == adviser);
        if (filter.MemberId is { } member) query = query.Where(c => c.MemberId == member);

        var items = await query
            .OrderByDescending(c => c.ReportedAt).ThenBy(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CaseListItem(
                c.Id, c.Version, c.Status, c.Specialty, c.Channels, c.Concern,
                c.OccurredOn, c.ReportedAt, c.MemberId, c.AssignedTo))
            .ToListAsync(ct);

        return new CasePage(items, stats.TotalResults, page, pageSize);
    }
}
