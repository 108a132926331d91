using Defence.Domain.Cases;
using VocabularyCode = Defence.Domain.Vocabulary.Code;

namespace Defence.Api.Errors;

/// <summary>
/// Collects what is wrong with a request body, field by field, so one 400 names every bad field.
/// Each check returns the value to use when the request turns out to be valid.
/// </summary>
public sealed class RequestErrors
{
    readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
    }

    public T Required<T>(T? value, string field) where T : struct
    {
        if (value is null) Add(field, $"'{field}' is required.");
        return value.GetValueOrDefault();
    }

    public T Required<T>(T? value, string field) where T : class
    {
        if (value is null) Add(field, $"'{field}' is required.");
        return value!;
    }

    /// <summary>Required text of 1 to <paramref name="maxLength"/> characters, not only white space.</summary>
    public string Text(string? value, string field, int maxLength = Case.MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"'{field}' is required and must not be blank.");
        else if (value.Length > maxLength) Add(field, $"'{field}' is {value.Length} characters long; at most {maxLength} are accepted.");
        return value?.Trim() ?? "";
    }

    /// <summary>A required vocabulary code.</summary>
    public T Code<T>(string? code, string field) where T : struct, Enum
    {
        if (code is null) Add(field, $"'{field}' is required.");
        return OptionalCode<T>(code, field) ?? default;
    }

    public T? OptionalCode<T>(string? code, string field) where T : struct, Enum
    {
        if (code is null) return null;
        if (VocabularyCode.TryParse<T>(code, out var value)) return value;
        Add(field, VocabularyCode.UnknownMessage<T>(code));
        return null;
    }

    /// <summary>An optional filter code, kept as the code itself once known to be one (parsing is exact).</summary>
    public string? OptionalCodeText<T>(string? code, string field) where T : struct, Enum =>
        OptionalCode<T>(code, field) is null ? null : code;

    /// <summary>A list of vocabulary codes; <paramref name="atLeastOne"/> refuses an empty list.</summary>
    public IReadOnlyList<T> Codes<T>(IReadOnlyList<string?>? codes, string field, bool atLeastOne) where T : struct, Enum
    {
        if (codes is null || (atLeastOne && codes.Count == 0))
        {
            Add(field, atLeastOne ? $"'{field}' needs at least one value." : $"'{field}' is required (it may be empty).");
            return [];
        }
        var values = new List<T>(codes.Count);
        for (var i = 0; i < codes.Count; i++)
        {
            if (VocabularyCode.TryParse<T>(codes[i], out var value)) values.Add(value);
            else Add($"{field}[{i}]", VocabularyCode.UnknownMessage<T>(codes[i]));
        }
        return values;
    }

    public bool Any => _errors.Count > 0;

    /// <summary>The 400 response naming each bad field, or null when the request is valid.</summary>
    public IResult? Problem =>
        Any ? Problems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray())) : null;
}
