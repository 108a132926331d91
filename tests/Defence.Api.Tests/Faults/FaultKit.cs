using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Defence.Api.Tests.Infrastructure;
using Npgsql;

namespace Defence.Api.Tests.Faults;

/// <summary>Databases of their own for fault tests, and what the tests read from them directly.</summary>
public static partial class FaultKit
{
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Rows of a query as text, one line per row, in the query's order.</summary>
    public static async Task<List<string>> RowsAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    /// <summary>How many stored events of this tenant carry each summary (the report's own text), by summary.</summary>
    public static async Task<Dictionary<string, long>> ReportsBySummaryAsync(string connectionString, string tenant, string summaryPrefix)
    {
        var rows = await RowsAsync(connectionString,
            "select data->>'summary', count(*) from defence.mt_events where tenant_id = @tenant and type = 'report_received' " +
            "and data->>'summary' like @prefix group by 1",
            ("tenant", tenant), ("prefix", summaryPrefix + "%"));
        return rows.Select(r => r.Split('|')).ToDictionary(r => r[0], r => long.Parse(r[1]));
    }

    /// <summary>A report whose summary is also its idempotency key, so a retry and the stored case can be matched to it.</summary>
    public static Task<HttpResponseMessage> SendReportAsync(HttpClient member, string key, string specialty = "general-practice")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(CaseApi.Report(specialty: specialty, summary: key)) };
        request.Headers.Add("Idempotency-Key", key);
        return member.SendAsync(request);
    }

    // ---- what no answer may show ----

    static readonly (string What, Regex Pattern)[] Giveaways =
    [
        ("a stack trace", StackTrace()),
        ("an exception's type", ExceptionType()),
        ("a .NET type name", QualifiedTypeName()),
        ("SQL", Sql()),
        ("a server or database name with its version", ProductVersion()),
        ("a PostgreSQL error code", SqlState()),
    ];

    /// <summary>What an answer shows that it must not: a stack trace, SQL, a .NET type name or a server version; empty when nothing.</summary>
    public static List<string> Leaks(HttpResponseMessage response, string body)
    {
        var found = new List<string>();
        foreach (var (what, pattern) in Giveaways)
            if (pattern.Match(body) is { Success: true } match)
                found.Add($"the body shows {what}: '{match.Value}'");
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "X-Powered-By" or "X-AspNet-Version" or "X-AspNetMvc-Version" or "X-SourceFiles")
                found.Add($"the header {header.Key}: {string.Join(", ", header.Value)}");
            if (header.Key == "Server" && header.Value.Any(v => v.Any(char.IsDigit)))
                found.Add($"the Server header names a version: {string.Join(", ", header.Value)}");
            foreach (var value in header.Value)
                foreach (var (what, pattern) in Giveaways)
                    if (pattern.IsMatch(value)) found.Add($"the header {header.Key} shows {what}: '{value}'");
        }
        return found;
    }

    /// <summary>Reads the answer's body and fails naming every giveaway it shows.</summary>
    public static async Task<string> ShouldNotLeak(this HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        var leaks = Leaks(response, body);
        Assert.True(leaks.Count == 0, $"{what} answered {(int)response.StatusCode} and leaks: {string.Join("; ", leaks)}\n{body}");
        return body;
    }

    [GeneratedRegex(@"(^|\n)\s+at [\w.<>`]+\(|--- End of", RegexOptions.CultureInvariant)]
    private static partial Regex StackTrace();

    [GeneratedRegex(@"\b\w*Exception\b", RegexOptions.CultureInvariant)]
    private static partial Regex ExceptionType();

    [GeneratedRegex(@"\b(System|Microsoft|Defence|Marten|Wolverine|JasperFx|Npgsql|Weasel|Swashbuckle)\.[A-Z]\w*", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedTypeName();

    [GeneratedRegex(@"\bselect\b[^.]{0,200}\bfrom\b|\binsert\s+into\b|\bupdate\s+\w+(\.\w+)?\s+set\b|\bdelete\s+from\b|\bmt_(events|streams|doc_\w+)\b|\bdefence\.\w+\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Sql();

    [GeneratedRegex(@"\b(PostgreSQL|Postgres|Npgsql|Kestrel|ASP\.NET( Core)?|\.NET|Marten|Wolverine)[ /]v?\d+(\.\d+)*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProductVersion();

    [GeneratedRegex(@"\b(SQLSTATE|[0-9A-Z]{5}: )", RegexOptions.CultureInvariant)]
    private static partial Regex SqlState();
}

/// <summary>What a storm or a fault run saw, by outcome, for the test's output and its assertions.</summary>
public sealed class Tally
{
    readonly Dictionary<string, int> _counts = new();
    readonly object _gate = new();

    public void Count(string outcome)
    {
        lock (_gate) _counts[outcome] = _counts.GetValueOrDefault(outcome) + 1;
    }

    public void Count(HttpStatusCode status) => Count(((int)status).ToString());

    public int this[string outcome] { get { lock (_gate) return _counts.GetValueOrDefault(outcome); } }

    public int Total { get { lock (_gate) return _counts.Values.Sum(); } }

    public override string ToString()
    {
        lock (_gate) return string.Join(", ", _counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}"));
    }
}
