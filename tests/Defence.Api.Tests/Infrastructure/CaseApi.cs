using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>Small helpers that keep the tests about behaviour rather than HTTP plumbing.</summary>
public static class CaseApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static object Report(
        string specialty = "general-practice", string[]? channels = null, string concern = "amorous-advances",
        string occurredOn = "2026-09-01", string summary = "The patient sent repeated friend requests and letters.",
        string? patientReference = null) =>
        new { specialty, channels = channels ?? ["facebook", "letter"], concern, occurredOn, summary, patientReference };

    public static async Task<Guid> ReportCase(this HttpClient member, object? report = null)
    {
        var response = await member.PostAsJsonAsync("/api/reports", report ?? Report());
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Body())["caseId"]!.GetValue<Guid>();
    }

    public static Task<HttpResponseMessage> Command(this HttpClient client, Guid caseId, string command, object body, long? ifMatch = null) =>
        client.Send(HttpMethod.Post, $"/api/cases/{caseId}/{command}", body, ifMatch is { } v ? $"\"{v}\"" : null);

    public static async Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    public static async Task<JsonNode> GetCase(this HttpClient client, Guid caseId)
    {
        var response = await client.GetAsync($"/api/cases/{caseId}");
        await response.ShouldHave(HttpStatusCode.OK);
        return await response.Body();
    }

    public static async Task<JsonNode> Body(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    /// <summary>Asserts the status, showing the body when it differs so a failure explains itself.</summary>
    public static async Task ShouldHave(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asserts an RFC 9457 problem with this status, and returns its body.</summary>
    public static async Task<JsonNode> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ShouldHave(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Body();
        Assert.Equal((int)expected, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["title"]?.GetValue<string>()));
        return body;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> name exactly these fields, no fewer and no more, and returns them.</summary>
    public static async Task<JsonObject> ShouldBeValidationProblem(this HttpResponseMessage response, string field, params string[] more)
    {
        var body = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        var errors = body["errors"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"No errors object in {body.ToJsonString()}");
        string[] expected = [field, .. more];
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(errors.Select(e => e.Key).Order(StringComparer.Ordinal)),
            $"errors should name exactly [{string.Join(", ", expected)}] but names [{string.Join(", ", errors.Select(e => e.Key))}]: {errors.ToJsonString()}");
        Assert.All(errors, e => Assert.NotEmpty(e.Value!.AsArray()));
        return errors;
    }

    /// <summary>The same, with the fields as a list (theory data); there must be at least one.</summary>
    public static Task<JsonObject> ShouldBeValidationProblem(this HttpResponseMessage response, string[] fields) =>
        fields is [var first, .. var rest]
            ? response.ShouldBeValidationProblem(first, rest)
            : throw new ArgumentException("Name at least one field the errors must name.", nameof(fields));
}
