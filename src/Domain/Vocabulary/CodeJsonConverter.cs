using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defence.Domain.Vocabulary;

/// <summary>
/// Reads and writes vocabulary enums as their codes, and nothing else: an unknown code, a number or
/// a differently-cased name is a <see cref="JsonException"/>. Used by the API and the event store alike,
/// so stored events carry the same stable codes as the HTTP contract.
/// </summary>
public sealed class CodeJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsEnum && typeToConvert.Namespace == typeof(Specialty).Namespace;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(CodeJsonConverter<>).MakeGenericType(typeToConvert))!;
}

public sealed class CodeJsonConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a {Code.NameOf<T>()} code as a string; one of: {string.Join(", ", Code.All<T>())}.");
        var code = reader.GetString();
        return Code.TryParse<T>(code, out var value) ? value : throw new JsonException(Code.UnknownMessage<T>(code));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Code.Of(value));

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var code = reader.GetString();
        return Code.TryParse<T>(code, out var value) ? value : throw new JsonException(Code.UnknownMessage<T>(code));
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WritePropertyName(Code.Of(value));
}
