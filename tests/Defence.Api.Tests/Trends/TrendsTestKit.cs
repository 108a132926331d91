using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Defence.Api.Tests.Infrastructure;

namespace Defence.Api.Tests.Trends;

/// <summary>Helpers for tests that import cases into a tenant of their own (<see cref="ApiFixture.NewTenant"/>) and read its trends.</summary>
public static class TrendsTestKit
{
    public const string Header = "case_ref,occurred_on,specialty,channels,concern,summary,gmc_reference,gmc_received_on,allegation_withdrawn_on,closed_on,outcome";

    public static string Row(string reference, string occurredOn, string specialty = "general-practice", string channels = "facebook",
        string concern = "amorous-advances", string summary = "Friend requests.", string gmcReference = "", string gmcReceivedOn = "",
        string withdrawnOn = "", string closedOn = "", string outcome = "") =>
        $"{reference},{occurredOn},{specialty},{channels},{concern},{summary},{gmcReference},{gmcReceivedOn},{withdrawnOn},{closedOn},{outcome}";

    public static async Task<HttpResponseMessage> Import(this HttpClient admin, string csv) =>
        await admin.PostAsync("/api/imports/cases", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static async Task<JsonNode> ImportOk(this HttpClient admin, params string[] rows)
    {
        var response = await admin.Import(string.Join('\n', [Header, .. rows]));
        await response.ShouldHave(HttpStatusCode.OK);
        var body = await response.Body();
        Assert.Empty(body["errors"]!.AsArray());
        return body;
    }

    public static async Task<JsonNode> Trends(this HttpClient analyst, string query)
    {
        var response = await analyst.GetAsync($"/api/trends?{query}");
        await response.ShouldHave(HttpStatusCode.OK);
        return await response.Body();
    }

    /// <summary>The rows as "key=count" (two keys joined by '/'), in the order the API gave them.</summary>
    public static string[] Counts(JsonNode trends, params string[] keys) =>
        trends["rows"]!.AsArray()
            .Select(r => string.Join('/', keys.Select(k => r![k]!.ToString())) + "=" + r!["count"]!.GetValue<long>())
            .ToArray();

    /// <summary>
    /// Asserts the rows are exactly these "key=count" entries, ordered by count, largest first (API.md). The contract
    /// fixes no order among equal counts, so entries with the same count may come in any order.
    /// </summary>
    public static void AssertRows(JsonNode trends, string[] keys, params string[] expected)
    {
        var actual = Counts(trends, keys);
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        var counts = trends["rows"]!.AsArray().Select(r => r!["count"]!.GetValue<long>()).ToArray();
        Assert.True(counts.SequenceEqual(counts.OrderDescending()), $"rows are not ordered by count, largest first: {string.Join(", ", actual)}");
    }
}
