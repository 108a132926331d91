using Microsoft.AspNetCore.Http.Extensions;

namespace Defence.Api.Pages;

/// <summary>Previous and next links for a paged list, keeping the list's filters in the query string.</summary>
public sealed record Paging(string Path, int Page, int PageSize, long Total, IReadOnlyList<KeyValuePair<string, string?>> Filters)
{
    public long Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < Pages;

    public string Link(int page)
    {
        var query = new QueryBuilder(Filters.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
        if (page > 1) query.Add("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Path + query.ToQueryString();
    }
}
