using Defence.Domain.Vocabulary;

namespace Defence.Domain.Rules;

/// <summary>
/// What is wrong with one command, field by field, so a single answer names every bad field. Every door into
/// the domain (the HTTP API, the pages, the CSV importer) collects its problems here, so the same mistake gets
/// the same message wherever it is made. The list is bounded: after <see cref="MaxListed"/> messages the rest
/// are only counted, so a hostile request cannot make the answer larger than itself.
/// </summary>
public sealed class FieldErrors
{
    public const int MaxListed = 20;

    /// <summary>Most entries a list field (channels, advice actions) may have.</summary>
    public const int MaxListLength = 50;

    readonly Dictionary<string, List<string>> _listed = new(StringComparer.Ordinal);
    int _listedCount;

    /// <summary>Every problem found, listed or not.</summary>
    public int Count { get; private set; }

    /// <summary>Problems found beyond the <see cref="MaxListed"/> that are listed.</summary>
    public int Omitted => Count - _listedCount;

    public bool Any => Count > 0;

    /// <summary>The listed messages by field, in the order the fields were first named.</summary>
    public IReadOnlyDictionary<string, string[]> Listed => _listed.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public IEnumerable<string> Fields => _listed.Keys;

    public void Add(string field, string message)
    {
        Count++;
        if (_listedCount >= MaxListed) return;
        if (!_listed.TryGetValue(field, out var messages)) _listed[field] = messages = [];
        messages.Add(message);
        _listedCount++;
    }

    /// <summary>Adds every problem of <paramref name="other"/>, with each field renamed by <paramref name="rename"/>.</summary>
    public void AddAll(FieldErrors other, Func<string, string>? rename = null)
    {
        foreach (var (field, messages) in other._listed)
        foreach (var message in messages)
            Add(rename?.Invoke(field) ?? field, message);
        for (var i = 0; i < other.Omitted; i++) Count++;
    }

    public const string RequiredMessage = "Required.";

    public T Required<T>(T? value, string field) where T : struct
    {
        if (value is null) Add(field, RequiredMessage);
        return value.GetValueOrDefault();
    }

    /// <summary>Free text by the product's one text rule (<see cref="FreeText"/>), required.</summary>
    public string Text(string? value, string field, int maxLength = FreeText.MaxLength, TextKind kind = TextKind.MultiLine)
    {
        var (text, problem) = FreeText.Check(value, maxLength, kind);
        if (problem is not null) Add(field, problem);
        return text;
    }

    /// <summary>Free text that may be absent or blank (then null).</summary>
    public string? OptionalText(string? value, string field, int maxLength = FreeText.MaxLength, TextKind kind = TextKind.SingleLine) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(value, field, maxLength, kind);

    /// <summary>A required vocabulary code.</summary>
    public T Code<T>(string? code, string field) where T : struct, Enum
    {
        if (code is null) Add(field, RequiredMessage);
        return OptionalCode<T>(code, field) ?? default;
    }

    public T? OptionalCode<T>(string? code, string field) where T : struct, Enum
    {
        if (code is null) return null;
        if (Vocabulary.Code.TryParse<T>(code, out var value)) return value;
        Add(field, Vocabulary.Code.UnknownMessage<T>(code));
        return null;
    }

    /// <summary>A list of vocabulary codes; <paramref name="atLeastOne"/> refuses an empty list.</summary>
    public IReadOnlyList<T> Codes<T>(IReadOnlyList<string?>? codes, string field, bool atLeastOne) where T : struct, Enum
    {
        if (codes is null || (atLeastOne && codes.Count == 0))
        {
            Add(field, atLeastOne ? "Needs at least one code." : "Required (it may be an empty list).");
            return [];
        }
        if (codes.Count > MaxListLength)
        {
            Add(field, $"Has {codes.Count} entries; at most {MaxListLength} are accepted.");
            return [];
        }
        var values = new List<T>(codes.Count);
        for (var i = 0; i < codes.Count; i++)
        {
            if (Vocabulary.Code.TryParse<T>(codes[i], out var value)) values.Add(value);
            else Add($"{field}[{i}]", Vocabulary.Code.UnknownMessage<T>(codes[i]));
        }
        return values;
    }

    /// <summary>A date that has happened: from <see cref="CaseDates.Earliest"/> to today anywhere on earth.</summary>
    public DateOnly PastDate(DateOnly? value, string field, DateTimeOffset now)
    {
        if (value is null) Add(field, RequiredMessage);
        else if (CaseDates.ProblemWith(value.Value, now) is { } problem) Add(field, problem);
        return value.GetValueOrDefault();
    }

    /// <summary>A user id that names someone: a GUID other than the all-zero one.</summary>
    public Guid UserId(Guid? value, string field)
    {
        if (value is null) Add(field, RequiredMessage);
        else if (value == Guid.Empty) Add(field, "Must be a user id; the all-zero id names no one.");
        return value.GetValueOrDefault();
    }
}
