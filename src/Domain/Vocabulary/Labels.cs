using System.Collections.Frozen;
using System.Reflection;

namespace Defence.Domain.Vocabulary;

/// <summary>The plain words people read for a vocabulary value, e.g. "Keep a log of all calls and contacts".</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class LabelAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The one place that turns a vocabulary value or code into its plain words (its <see cref="LabelAttribute"/>).</summary>
public static class Labels
{
    public static string Of<T>(T value) where T : struct, Enum =>
        Table<T>.ByValue.TryGetValue(value, out var label)
            ? label
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(T).Name}.");

    /// <summary>The plain words for a code; an unknown code (never stored, but possible in old data) reads as itself.</summary>
    public static string ForCode<T>(string? code) where T : struct, Enum =>
        Code.TryParse<T>(code, out var value) ? Of(value) : code ?? "";

    /// <summary>Every value's code and plain words, in declaration order: the choices a form offers.</summary>
    public static IReadOnlyList<(string Code, string Label)> Choices<T>() where T : struct, Enum => Table<T>.Choices;

    static class Table<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue = Enum.GetValues<T>().ToFrozenDictionary(v => v, v =>
            typeof(T).GetField(v.ToString())!.GetCustomAttribute<LabelAttribute>()?.Text
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{v} has no [Label]."));

        public static readonly IReadOnlyList<(string Code, string Label)> Choices =
            Enum.GetValues<T>().Select(v => (Code.Of(v), ByValue[v])).ToArray();
    }
}
