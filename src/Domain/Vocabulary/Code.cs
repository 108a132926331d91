using System.Collections.Frozen;
using System.Text.Json;

namespace Defence.Domain.Vocabulary;

/// <summary>
/// The one place that turns vocabulary values into their stable kebab-case codes and back.
/// Codes are derived from the enum member names, so adding a member adds its code.
/// </summary>
public static class Code
{
    public static string Of<T>(T value) where T : struct, Enum =>
        Table<T>.ToCode.TryGetValue(value, out var code)
            ? code
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(T).Name}.");

    /// <summary>Parses an exact code (case-sensitive: codes are identifiers, not prose).</summary>
    public static bool TryParse<T>(string? code, out T value) where T : struct, Enum
    {
        if (code is not null && Table<T>.FromCode.TryGetValue(code, out value))
            return true;
        value = default;
        return false;
    }

    public static T Parse<T>(string code) where T : struct, Enum =>
        TryParse<T>(code, out var value)
            ? value
            : throw new FormatException(UnknownMessage<T>(code));

    /// <summary>Every code of the vocabulary, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Table<T>.Codes;

    /// <summary>Names a bad code (quoted short, never echoed whole) and lists every valid one.</summary>
    public static string UnknownMessage<T>(string? code) where T : struct, Enum =>
        $"{Rules.FreeText.Quote(code)} is not a {NameOf<T>()} code; expected one of: {string.Join(", ", All<T>())}.";

    /// <summary>The vocabulary's name in prose, e.g. "advice action".</summary>
    public static string NameOf<T>() => JsonNamingPolicy.KebabCaseLower.ConvertName(typeof(T).Name).Replace('-', ' ');

    static class Table<T> where T : struct, Enum
    {
        public static readonly IReadOnlyList<string> Codes =
            Enum.GetValues<T>().Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString())).ToArray();

        public static readonly FrozenDictionary<T, string> ToCode =
            Enum.GetValues<T>().Zip(Codes).ToFrozenDictionary(p => p.First, p => p.Second);

        public static readonly FrozenDictionary<string, T> FromCode =
            ToCode.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
