using Defence.Domain.Rules;
using Microsoft.Extensions.Primitives;

namespace Defence.Api.Pages;

/// <summary>
/// One form on a page: what was posted to it and what the domain said about each field, so the page can show the
/// person's own words back with the server's messages beside the fields they concern. Field names are the API's.
/// </summary>
public sealed class PageForm(string name)
{
    readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);
    readonly List<string> _general = [];
    IFormCollection? _posted;

    /// <summary>Names the form on the page; element ids are <c>{name}-{field}</c>, so several forms can share field names.</summary>
    public string Name { get; } = name;

    /// <summary>True once a post to this form was refused: the page opens it and shows its messages.</summary>
    public bool Refused { get; private set; }

    public IReadOnlyList<string> GeneralMessages => _general;
    public IEnumerable<(string Field, string Message)> FieldMessages => _byField.SelectMany(f => f.Value.Select(m => (f.Key, m)));

    public string Id(string field) => $"{Name}-{field}";

    /// <summary>Keeps what was posted, so a refused form shows the person's own input again.</summary>
    public PageForm Keep(IFormCollection posted)
    {
        _posted = posted;
        return this;
    }

    public string? Value(string field, string? otherwise = null) =>
        _posted is { } posted && posted.TryGetValue(field, out var value) ? value.ToString() : otherwise;

    public IReadOnlyList<string> Values(string field, IReadOnlyList<string>? otherwise = null) =>
        _posted is { } posted ? posted.TryGetValue(field, out var values) ? values.OfType<string>().ToArray() : [] : otherwise ?? [];

    public IReadOnlyList<string> MessagesFor(string field) => _byField.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>The domain's messages, each beside its field (<c>channels[2]</c> belongs to <c>channels</c>); others go on top.</summary>
    public void Refuse(FieldErrors errors, IReadOnlyCollection<string> fields)
    {
        Refused = true;
        foreach (var (key, messages) in errors.Listed)
        {
            var field = key.Split('[')[0];
            foreach (var message in messages)
            {
                if (fields.Contains(field)) Add(field, message);
                else _general.Add(message);
            }
        }
        if (errors.Omitted > 0) _general.Add($"{errors.Omitted} more problems were found.");
    }

    public void Refuse(string message)
    {
        Refused = true;
        _general.Add(message);
    }

    public void RefuseField(string field, string message)
    {
        Refused = true;
        Add(field, message);
    }

    void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var list)) _byField[field] = list = [];
        list.Add(message);
    }
}

/// <summary>Reads typed values out of a posted form; a value that cannot be read is named on its field.</summary>
public static class FormValues
{
    public static string? Text(this IFormCollection form, string field) =>
        form.TryGetValue(field, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    public static IReadOnlyList<string?> List(this IFormCollection form, string field) =>
        form.TryGetValue(field, out var values) ? values.ToArray() : [];

    /// <summary>A date as an HTML date input sends it (YYYY-MM-DD); empty is null, for the domain to require.</summary>
    public static DateOnly? Date(this IFormCollection form, string field, PageForm page)
    {
        if (form.Text(field) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date)) return date;
        page.RefuseField(field, "Enter the date as day, month and year, for example 2026-03-27.");
        return null;
    }

    /// <summary>A local date and time as an HTML datetime-local input sends it, read in the deployment's time zone.</summary>
    public static DateTimeOffset? Time(this IFormCollection form, string field, PageForm page, PageClock clock)
    {
        if (form.Text(field) is not { } text) return null;
        if (clock.TryReadLocal(text, out var time)) return time;
        page.RefuseField(field, "Enter the date and time, for example 2026-03-27 14:30.");
        return null;
    }

    public static Guid? Guid(this IFormCollection form, string field, PageForm page)
    {
        if (form.Text(field) is not { } text) return null;
        if (System.Guid.TryParse(text.Trim(), out var id)) return id;
        page.RefuseField(field, "Enter a user id, for example 1b4e28ba-2fa1-11d2-883f-0016d3cca427.");
        return null;
    }
}
