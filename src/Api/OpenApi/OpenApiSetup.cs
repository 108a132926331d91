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
            // Last, so it sees the bodies and responses the filters above declared.
            options.OperationFilter<RefusalsOperationFilter>();
            options.DocumentFilter<DocumentMetadataFilter>();
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

/// <summary>
/// Declares what an operation can answer besides its own outcomes, from what the endpoint is made of: 401 and 403 where
/// it names roles (and the roles in its description), 404 where it takes a case id, 413 and 415 where it takes a body,
/// 429 where it is rate limited, 503 wherever it reads or writes the store; and the typed paging and CSV bodies the
/// endpoints parse themselves.
/// </summary>
sealed class RefusalsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var roles = context.MethodInfo.GetCustomAttributes<Identity.AllowRolesAttribute>()
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (roles.Length == 0) return;

        var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];
        void Refusal(int status, string description)
        {
            if (operation.Responses.TryGetValue(status.ToString(), out var declared) && declared.Content is { Count: > 0 }) return;
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = problem } },
            };
        }

        operation.Description = ((operation.Description ?? "") + $"\n\nRoles: {string.Join(", ", roles)}.").Trim();
        Refusal(401, "No valid bearer token; detail says why (none sent, expired, or not one this service accepts).");
        Refusal(403, $"The token's tenant is not registered, or its roles include none of: {string.Join(", ", roles)}.");
        var path = context.ApiDescription.RelativePath ?? "";
        if (path.Contains("{id}")) Refusal(404, "No such case for this caller (another tenant's or member's case is not found either).");
        else operation.Responses.Remove("404");
        if (operation.RequestBody is not null)
        {
            Refusal(413, "The body is larger than the service accepts.");
            Refusal(415, "The body is not of the content type this operation reads.");
        }
        if (context.MethodInfo.GetCustomAttribute<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>() is not null)
            Refusal(429, "Too many requests from this user; Retry-After says when to try again.");
        Refusal(503, "The database is briefly out of reach; nothing was saved. Retry-After says when to try again.");

        // An endpoint returning IResult is listed with a 200 of that type; where it declares its real success, drop it.
        if (operation.Responses.ContainsKey("201")) operation.Responses.Remove("200");
        foreach (var response in operation.Responses.Values)
            if (response.Content?.TryGetValue("text/csv", out var csv) == true && csv is OpenApiMediaType concrete)
                concrete.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header row." };

        foreach (var parameter in operation.Parameters ?? [])
            if (parameter is OpenApiParameter { Name: "page" or "pageSize" } paging)
                paging.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Minimum = "1",
                    Maximum = (paging.Name == "page" ? Cases.Listing.CaseListQuery.MaxPage : Cases.Listing.CaseListQuery.MaxPageSize).ToString(),
                };
    }
}

/// <summary>What a linter and a client generator expect of the document as a whole: a server, a licence, described tags.</summary>
sealed class DocumentMetadataFilter : IDocumentFilter
{
    static readonly Dictionary<string, string> Tags = new()
    {
        ["Cases"] = "Reports, the case commands, and reading cases.",
        ["Trends"] = "Counts of cases by specialty, channel, concern and year.",
        ["Imports"] = "Historical cases from an MDO's own records.",
        ["Members"] = "A member's rights over their data: export (subject access) and erasure of personal details.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Servers = [new OpenApiServer { Url = "/", Description = "This deployment." }];
        document.Info.License = new OpenApiLicense { Name = "Proprietary: licensed to each MDO by its contract with the service" };
        document.Info.Contact = new OpenApiContact { Name = "The service's operator" };
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        // Left behind by the 200 that RefusalsOperationFilter drops where an endpoint declares its real success.
        document.Components?.Schemas?.Remove("IResult");
    }
}
