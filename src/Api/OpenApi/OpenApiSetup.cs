using System.Reflection;
using Defence.Api.Cases;
using Defence.Domain.Vocabulary;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Defence.Api.OpenApi;

public static class OpenApiSetup
{
    public static IServiceCollection AddDefenceOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Defence API",
                Version = "v1",
                Description = "Cases of a medical defence organisation: members report incidents, advisers work the case. " +
                    "The rules behind each endpoint are described in the repository's docs/http-api.md.",
            });
            options.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token with tid, oid and roles claims. Locally: dotnet run --project src/Api -- token --role Adviser",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
            // The API's endpoints and the domain's commands, which are the request bodies, carry the descriptions.
            foreach (var assembly in new[] { typeof(OpenApiSetup).Assembly, typeof(Defence.Domain.Cases.Case).Assembly })
                if (Path.Combine(AppContext.BaseDirectory, $"{assembly.GetName().Name}.xml") is var xml && File.Exists(xml))
                    options.IncludeXmlComments(xml);
            options.SchemaFilter<VocabularySchemaFilter>();
            options.OperationFilter<CaseCommandOperationFilter>();
            options.OperationFilter<HeaderAndBodyOperationFilter>();
        });
        return services;
    }
}

/// <summary>Lists the codes a vocabulary field accepts, so a client can see them in the document.</summary>
sealed class VocabularySchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.MemberInfo?.GetCustomAttribute<VocabularyCodeAttribute>() is not { } vocabulary) return;
        var codes = (IReadOnlyList<string>)typeof(Code).GetMethod(nameof(Code.All))!
            .MakeGenericMethod(vocabulary.Vocabulary).Invoke(null, null)!;
        var target = schema.Items ?? schema;
        if (target is OpenApiSchema concrete)
            concrete.Enum = codes.Select(c => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(c)).ToList();
    }
}

sealed class CaseCommandOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.MethodInfo.GetCustomAttribute<CaseCommandResponsesAttribute>() is null) return;

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Required = false,
            Description = "The case version the command expects, as a strong ETag (\"3\"). A stale version answers 412 and writes nothing.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

        var result = context.SchemaGenerator.GenerateSchema(typeof(CaseCommandResult), context.SchemaRepository);
        var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        var validation = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails), context.SchemaRepository);

        operation.Responses ??= [];
        operation.Responses["200"] = Response("The command was recorded; ETag is the new version.", "application/json", result);
        operation.Responses["400"] = Response("The request is not valid: errors names each bad field.", "application/problem+json", validation);
        operation.Responses["404"] = Response("No such case for this user.", "application/problem+json", problem);
        operation.Responses["409"] = Response("The case's state does not allow this command.", "application/problem+json", problem);
        operation.Responses["412"] = Response("If-Match names a version the case is no longer at.", "application/problem+json", problem);
    }

    static OpenApiResponse Response(string description, string mediaType, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType> { [mediaType] = new OpenApiMediaType { Schema = schema } },
    };
}

/// <summary>
/// What the endpoints read by hand rather than by binding, so the document declares it: the CSV body of an import
/// and the <c>Idempotency-Key</c> of a report.
/// </summary>
sealed class HeaderAndBodyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.MethodInfo.GetCustomAttribute<Limits.ImportBodyLimitAttribute>() is not null)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = $"UTF-8 CSV with a header row naming {string.Join(", ", Imports.CaseImporter.RequiredColumns)} " +
                              $"and optionally {string.Join(", ", Imports.CaseImporter.OptionalColumns)}; several channels are separated by '|'.",
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };

        if (context.MethodInfo.DeclaringType == typeof(Cases.Reporting.ReportIncidentEndpoint))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Cases.Reporting.Reports.IdempotencyKeyHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = $"Names this report, so a retry with the same key answers the first report's case instead of creating another " +
                              $"(1 to {Cases.Reporting.Reports.MaxIdempotencyKeyLength} characters).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Cases.Reporting.Reports.MaxIdempotencyKeyLength },
            });
        }
    }
}
