using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Hosting;

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture api)
{
    async Task<JsonNode> Document() => await (await api.Anonymous().GetAsync("/swagger/v1/swagger.json")).Body();

    [Theory]
    [InlineData("/api/reports", "post")]
    [InlineData("/api/cases/{id}", "get")]
    [InlineData("/api/cases", "get")]
    [InlineData("/api/me/cases", "get")]
    [InlineData("/api/cases/{id}/assignment", "post")]
    [InlineData("/api/cases/{id}/advice", "post")]
    [InlineData("/api/cases/{id}/contacts", "post")]
    [InlineData("/api/cases/{id}/gmc-complaint", "post")]
    [InlineData("/api/cases/{id}/allegation-withdrawal", "post")]
    [InlineData("/api/cases/{id}/closure", "post")]
    [InlineData("/api/cases/{id}/reopening", "post")]
    [InlineData("/api/trends", "get")]
    [InlineData("/api/imports/cases", "post")]
    public async Task the_openapi_document_describes_every_endpoint_of_the_contract(string path, string method)
    {
        var operation = (await Document())["paths"]?[path]?[method];

        Assert.NotNull(operation);
    }

    [Fact]
    public async Task the_trends_operation_documents_its_query_parameters_and_csv_answer()
    {
        var trends = (await Document())["paths"]!["/api/trends"]!["get"]!;

        var parameters = trends["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string>(["by", "from", "to", "specialty", "channel", "concern"]), parameters);
        Assert.NotNull(trends["responses"]!["200"]!["content"]!["application/json"]);
        Assert.NotNull(trends["responses"]!["200"]!["content"]!["text/csv"]);
        Assert.NotNull(trends["responses"]!["400"]);
    }

    [Fact]
    public async Task the_import_operation_documents_its_answer()
    {
        var document = await Document();
        var import = document["paths"]!["/api/imports/cases"]!["post"]!;

        var reference = import["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var answer = document["components"]!["schemas"]![reference.Split('/')[^1]]!["properties"]!.AsObject();
        Assert.Superset(new HashSet<string>(["imported", "skipped", "errors"]), answer.Select(p => p.Key).ToHashSet());
    }

    [Fact]
    public async Task the_import_operation_documents_its_text_csv_body()
    {
        var import = (await Document())["paths"]!["/api/imports/cases"]!["post"]!;

        Assert.True(import["requestBody"]?["content"]?["text/csv"] is not null, $"no text/csv request body in {import.ToJsonString()}");
    }

    [Fact]
    public async Task the_openapi_document_offers_bearer_tokens()
    {
        var scheme = (await Document())["components"]!["securitySchemes"]!["Bearer"]!;

        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task case_commands_document_if_match_and_their_problem_responses()
    {
        var advice = (await Document())["paths"]!["/api/cases/{id}/advice"]!["post"]!;

        Assert.Contains(advice["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-Match");
        foreach (var status in new[] { "200", "400", "404", "409", "412" })
            Assert.NotNull(advice["responses"]![status]);
    }

    [Fact]
    public async Task vocabulary_fields_list_their_codes()
    {
        var document = await Document();
        var schemas = document["components"]!["schemas"]!.AsObject();
        // The schema POST /api/reports takes, whatever it is named.
        var reference = document["paths"]!["/api/reports"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var report = schemas[reference.Split('/')[^1]]!;

        var specialty = report["properties"]!["specialty"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>());
        var channels = report["properties"]!["channels"]!["items"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>());

        Assert.Contains("general-practice", specialty);
        Assert.Contains("text-message", channels);
    }
}
