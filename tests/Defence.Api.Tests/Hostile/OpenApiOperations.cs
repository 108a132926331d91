using System.Text.Json.Nodes;

namespace Defence.Api.Tests.Hostile;

/// <summary>What a field of a request body holds, as far as a hostile client cares.</summary>
public enum FieldKind { Text, Code, Date, DateTime, Id, Number, Boolean, List }

/// <summary>A field of a JSON request body, read from the OpenAPI document.</summary>
/// <param name="Items">For a list, what its items hold.</param>
/// <param name="Codes">For a code (or a list of codes), the codes the document lists.</param>
public sealed record BodyField(string Name, FieldKind Kind, bool Required, FieldKind? Items, IReadOnlyList<string> Codes)
{
    /// <summary>A value the API accepts for this field, as JSON text.</summary>
    public string ValidJson => Kind == FieldKind.List ? $"[{Scalar(Items ?? FieldKind.Text)}]" : Scalar(Kind);

    string Scalar(FieldKind kind) => kind switch
    {
        FieldKind.Code => Codes.Count > 0 ? $"\"{Codes[0]}\"" : "\"code\"",
        FieldKind.Date => "\"2020-01-02\"",
        FieldKind.DateTime => "\"2020-01-02T10:00:00Z\"",
        FieldKind.Id => $"\"{Guid.NewGuid()}\"",
        FieldKind.Number => "1",
        FieldKind.Boolean => "true",
        _ => "\"Sent by the hostile-input suite.\"",
    };
}

/// <summary>A query, path or header parameter of an operation.</summary>
public sealed record Parameter(string Name, string In, bool Required, string Type);

/// <summary>An operation of the OpenAPI document, with what it takes.</summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, IReadOnlyList<BodyField>? JsonBody, bool CsvBody)
{
    public string Key => $"{Method} {Path}";
    public override string ToString() => Key;

    public string Url(Guid caseId) => Path.Replace("{id}", caseId.ToString());

    /// <summary>A body the API accepts, as JSON text: every field with a valid value.</summary>
    public string ValidBody(IEnumerable<BodyField>? except = null, string? replacement = null) =>
        "{" + string.Join(",", JsonBody!.Select(f => $"\"{f.Name}\":{(except?.Contains(f) == true ? replacement : f.ValidJson)}")) + "}";

    /// <summary>Every operation of the document with what it takes, $refs resolved.</summary>
    public static IReadOnlyList<Operation> All(JsonNode document)
    {
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            var parameters = (operation!["parameters"]?.AsArray() ?? [])
                .Select(p => new Parameter(
                    p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false,
                    TypeOf(Resolve(document, p["schema"])) ?? "string"))
                .ToList();
            var content = operation["requestBody"]?["content"]?.AsObject();
            var json = content?["application/json"]?["schema"] is { } schema ? Fields(document, Resolve(document, schema)!) : null;
            operations.Add(new Operation(method.ToUpperInvariant(), path, parameters, json, content?.ContainsKey("text/csv") == true));
        }
        return operations;
    }

    static List<BodyField> Fields(JsonNode document, JsonNode schema)
    {
        var required = (schema["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
        return (schema["properties"]?.AsObject() ?? [])
            .Select(p =>
            {
                var property = Resolve(document, p.Value)!;
                var kind = KindOf(property);
                var items = kind == FieldKind.List ? KindOf(Resolve(document, property["items"])!) : (FieldKind?)null;
                var codes = ((kind == FieldKind.List ? Resolve(document, property["items"]) : property)?["enum"]?.AsArray() ?? [])
                    .Select(c => c!.GetValue<string>()).ToList();
                return new BodyField(p.Key, kind, required.Contains(p.Key), items, codes);
            })
            .ToList();
    }

    static FieldKind KindOf(JsonNode schema)
    {
        if (schema["enum"] is not null) return FieldKind.Code;
        return (TypeOf(schema), schema["format"]?.GetValue<string>()) switch
        {
            ("array", _) => FieldKind.List,
            ("integer" or "number", _) => FieldKind.Number,
            ("boolean", _) => FieldKind.Boolean,
            (_, "date") => FieldKind.Date,
            (_, "date-time") => FieldKind.DateTime,
            (_, "uuid") => FieldKind.Id,
            _ => FieldKind.Text,
        };
    }

    /// <summary>The schema's type, whether written "string" or ["string", "null"].</summary>
    static string? TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => null,
    };

    static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } reference)
            return Resolve(document, reference.TrimStart('#', '/').Split('/').Aggregate((JsonNode?)document, (node, part) => node?[part]));
        // allOf with one $ref is how a documented property refers to a shared schema.
        if (schema?["allOf"]?.AsArray() is [var only]) return Resolve(document, only);
        return schema;
    }
}
