using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Defence.Api.Identity;
using Defence.Api.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Defence.Api.Tests.Hostile;

/// <summary>
/// Hostile input, generated from the OpenAPI document so that an operation added later is covered without a new test:
/// every body field, query, path and header parameter of every operation gets wrong types, null, huge and non-ASCII
/// numbers, deep nesting, control characters, huge arrays and strings and calendar extremes; every body gets broken
/// JSON, duplicate keys, invalid UTF-8 and 10 MB; the CSV import gets broken files. Each answer must be a bounded
/// 4xx problem (a read may also answer 200), nothing may be written, another user's next requests must work, and
/// nothing the hostile requests carried may reach the logs.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(ApiFixture api, ITestOutputHelper output)
{
    /// <summary>In every hostile string, so the logs can be searched for it.</summary>
    const string Marker = "ZQXHOSTILEMARK";

    /// <summary>The largest problem body accepted: a bounded error list, whatever the request's size.</summary>
    const int MaxProblemBytes = 32 * 1024;

    /// <summary>
    /// A request, what it tries, and whether the API must refuse it (a write) or may also answer it (a read). An import
    /// refuses a file with its own 200 answer, listing the file's errors and importing nothing (docs/http-api.md).
    /// </summary>
    sealed record Hostile(string Operation, string What, HttpMethod Method, string Url, byte[]? Body, string? ContentType,
        IReadOnlyList<(string Name, string Value)> Headers, bool MustRefuse, HttpClient? Sender = null, bool RefusedAsImport = false);

    sealed class Tally
    {
        public int Sent, ServerErrors, EventsWritten;
        public readonly HashSet<string> Operations = [];
        public readonly List<string> Failures = [];
    }

    [Fact]
    public async Task every_operation_answers_hostile_input_with_a_bounded_problem_writes_nothing_and_harms_no_other_user()
    {
        var anonymous = api.Anonymous();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!;
        var operations = Operation.All(document);
        Assert.True(operations.Count >= 12, $"The document lists {operations.Count} operations.");
        foreach (var operation in operations.Where(o => o.JsonBody is not null))
            Assert.True(operation.JsonBody!.Any(f => f.Required), $"{operation} declares no required body field.");

        var attacker = new TestUser(ApiFixture.MduTid, Guid.NewGuid(), [Roles.Member, Roles.Adviser, Roles.Analyst, Roles.TenantAdmin]);
        var hostile = api.As(attacker);
        var attackersCase = await hostile.ReportCase();
        var member = api.As(TestUser.Member());
        var adviser = api.As(TestUser.Adviser());
        var membersCase = await member.ReportCase();
        var importers = new List<Guid>();

        var tally = new Tally();
        foreach (var operation in operations)
        {
            var requests = Requests(operation, attackersCase).ToList();
            if (operation.CsvBody)
                requests.AddRange(CsvRequests(operation, () =>
                {
                    // Imports are limited per user, so each hostile file comes from an administrator of its own.
                    var admin = TestUser.TenantAdmin();
                    importers.Add(admin.Id);
                    return api.As(admin);
                }));
            tally.Operations.Add(operation.Key);
            for (var i = 0; i < requests.Count; i++)
            {
                await SendAsync(requests[i] with { Sender = requests[i].Sender ?? hostile }, tally);
                await OtherUsersStillServed(member, adviser, membersCase, writeToo: i % 25 == 0, tally);
            }
            await OtherUsersStillServed(member, adviser, membersCase, writeToo: true, tally);
        }

        output.WriteLine($"{tally.Operations.Count} operations, {tally.Sent} hostile requests, {tally.ServerErrors} answered 5xx, " +
                         $"{tally.EventsWritten} events written by them.");
        Assert.True(tally.Failures.Count == 0,
            $"{tally.Failures.Count} of {tally.Sent} hostile requests misbehaved:\n" + string.Join("\n", tally.Failures.Take(60)));

        // Request lines (method, path, query) are the web server's access log, kept at Information and below: the API's
        // paths and queries are ids and codes, so only what an attacker wrote into a URL could show there. Everything
        // else, at every level, must hold neither the text the requests carried nor the users' ids (SQL parameter values).
        string[] requestLines = ["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing"];
        var leaked = api.Logs.Containing([Marker, attacker.Id.ToString(), .. importers.Select(i => i.ToString())])
            .Where(e => !requestLines.Any(c => e.Category.StartsWith(c, StringComparison.Ordinal))).ToList();
        Assert.True(leaked.Count == 0, $"{leaked.Count} log entries hold what hostile requests carried:\n" +
            string.Join("\n---\n", leaked.GroupBy(e => e.Category).Select(g => $"({g.Count()}) {g.First()}")));
    }

    async Task SendAsync(Hostile request, Tally tally)
    {
        var before = await EventsInStoreAsync();
        using var message = new HttpRequestMessage(request.Method, request.Url);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);

        using var response = await request.Sender!.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = (int)response.StatusCode;
        var written = await EventsInStoreAsync() - before;
        tally.Sent++;

        var what = $"{request.Operation} with {request.What}: {status}";
        void Fail(string why) => tally.Failures.Add($"{what}: {why}");
        if (status >= 500) { tally.ServerErrors++; Fail(Text(body)); }
        if (written != 0) { tally.EventsWritten += (int)written; Fail($"{written} event(s) written"); }
        if (request.RefusedAsImport && status == 200) ImportRefused(body, Fail);
        else if (request.MustRefuse && status < 400) Fail("accepted");
        if (body.Length > MaxProblemBytes) Fail($"a {body.Length}-byte answer");
        if (response.Headers.TryGetValues("X-Correlation-Id", out var correlation) && correlation.Any(c => c.Contains(Marker)))
            Fail("the correlation id echoes the request's text");
        if (status < 400) return;

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            Fail($"answered {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not a problem");
        var text = Text(body);
        foreach (var giveaway in new[] { "   at ", "Exception", "Npgsql", "select ", "insert ", "PostgreSQL" })
            if (text.Contains(giveaway, StringComparison.Ordinal)) Fail($"the answer shows '{giveaway.Trim()}'");
        try
        {
            if (JsonNode.Parse(body)?["status"]?.GetValue<int>() != status) Fail("the problem's status differs from the answer's");
        }
        catch (JsonException) { Fail("the problem is not JSON"); }
    }

    static void ImportRefused(byte[] body, Action<string> fail)
    {
        var answer = JsonNode.Parse(body)!;
        if (answer["imported"]?.GetValue<int>() != 0) fail($"imported {answer["imported"]}");
        if (answer["errors"]?.AsArray().Count is not > 0) fail("no error listed");
    }

    static string Text(byte[] body) => Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));

    /// <summary>Another member reads their case (and, now and then, reports and gets advice): all must still work.</summary>
    async Task OtherUsersStillServed(HttpClient member, HttpClient adviser, Guid membersCase, bool writeToo, Tally tally)
    {
        var read = await member.GetAsync($"/api/cases/{membersCase}");
        if (read.StatusCode != HttpStatusCode.OK) tally.Failures.Add($"another member's read then answered {(int)read.StatusCode}");
        if (!writeToo) return;
        var report = await member.PostAsJsonAsync("/api/reports", CaseApi.Report());
        if (report.StatusCode != HttpStatusCode.Created)
        {
            tally.Failures.Add($"another member's report then answered {(int)report.StatusCode}: {await report.Content.ReadAsStringAsync()}");
            return;
        }
        var advice = await adviser.Command((await report.Body())["caseId"]!.GetValue<Guid>(), "advice",
            new { advice = "Keep a log.", actions = new[] { "keep-contact-log" } });
        if (advice.StatusCode != HttpStatusCode.OK) tally.Failures.Add($"an adviser's advice then answered {(int)advice.StatusCode}");
    }

    async Task<long> EventsInStoreAsync()
    {
        await using var connection = api.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {api.Store.Options.Events.DatabaseSchemaName}.mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    // ---- what a hostile client sends ----

    static readonly string Deep = new string('[', 10_000) + new string(']', 10_000);
    static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
    static readonly string HugeString = $"\"{Marker}{new string('x', 1_000_000)}\"";
    static readonly string HugeArray = "[" + string.Join(",", Enumerable.Repeat($"\"{Marker}\"", 100_000)) + "]";

    /// <summary>Values that are wrong for a field of any kind, as JSON text.</summary>
    static IEnumerable<(string What, string Json)> WrongForAnyField(BodyField field)
    {
        if (field.Kind == FieldKind.List)
        {
            yield return ("a string for a list", $"\"{Marker}\"");
            yield return ("an object for a list", "{}");
            yield return ("a number for a list", "1");
            yield return ("a list holding null", "[null]");
            yield return ("a list holding a list", $"[[\"{Marker}\"]]");
            yield return ("a list holding NUL", $"[\"{Marker}\\u0000\"]");
            yield return ("100,000 bad items", HugeArray);
            if (field.Codes.Count > 0)
                yield return ("100,000 valid codes", "[" + string.Join(",", Enumerable.Repeat($"\"{field.Codes[0]}\"", 100_000)) + "]");
        }
        else
        {
            yield return ("a number for a " + field.Kind, "12345");
            yield return ("true for a " + field.Kind, "true");
            yield return ("an object for a " + field.Kind, "{}");
            yield return ("a list for a " + field.Kind, $"[\"{Marker}\"]");
            yield return ("100,000 items for a " + field.Kind, HugeArray);
        }
        if (field.Required) yield return ("null", "null");
        yield return ("1e400", "1e400");
        yield return ("-1e400", "-1e400");
        yield return ("a 30-digit number", "123456789012345678901234567890");
        yield return ("NaN", "NaN");
        yield return ("nesting 10,000 deep", Deep);
        yield return ("objects nested 10,000 deep", DeepObject);
        yield return ("NUL", $"\"{Marker}\\u0000\"");
        yield return ("NUL alone", "\"\\u0000\"");
        yield return ("a bell", $"\"{Marker}\\u0007\"");
        yield return ("an escape sequence", $"\"{Marker}\\u001b[2J\"");
        yield return ("a lone surrogate", $"\"{Marker}\\ud800\"");
        yield return ("a non-character", $"\"{Marker}\\uffff\"");
        yield return ("a raw control byte", $"\"{Marker}\u0001\"");
        yield return ("a million characters", HugeString);
        if (field.Required)
        {
            // An optional field sent empty is a field left out, as a form sends it.
            yield return ("an empty string", "\"\"");
            yield return ("blanks", "\"   \"");
        }
        if (field.Kind is FieldKind.Text) yield break;

        // For a field that is not free text, text that is not its kind is wrong too.
        yield return ("non-ASCII digits", "\"\u0661\u0662\u0663\u0664\"");
        yield return ("a 20-digit string", "\"99999999999999999999\"");
        foreach (var extreme in CalendarExtremes) yield return ($"'{extreme}'", $"\"{extreme}\"");
    }

    static readonly string[] CalendarExtremes =
    [
        "0001-01-01", "9999-12-31", "0000-00-00", "2021-02-29", "10000-01-01", "-0001-01-01", "1899-12-31",
        "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z", "2020-01-02T25:00:00Z", "2020-01-02T10:00:00+99:00",
    ];

    static readonly string[] QueryValues =
    [
        "", "%00", Marker + "%00", Marker, "-1", "0", "99999999999999999999", "999999999", "2147483647", "1e400",
        Uri.EscapeDataString("\u0661\u0662"), "%FF%FE", Marker + new string('x', 100_000),
        "0001-01-01", "9999-12-31", "0000-00-00", "10000-01-01", "-0001-01-01", "2021-02-29",
        Uri.EscapeDataString("specialty,channel,year,concern"), "%E2%80%AE",
    ];

    /// <summary>If-Match values that name no version the case is at (a version is a strong ETag such as "3").</summary>
    static readonly string[] HostileVersions =
    [
        Marker, "W/\"1\"", "\"abc\"", "\"99999999999999999999\"", "\"-1\"", "\"0\"", "\"7\", \"8\"", "1", "\"1", Marker + "\u0001",
        "\"" + new string('9', 10_000) + "\"",
    ];

    static readonly string[] HostileHeaderValues = ["", Marker + "\u0001", "\u0001", Marker + new string('k', 256), Marker + new string('k', 10_000)];

    static readonly (string Name, string Value)[] HostileHeaders =
    [
        ("X-Correlation-Id", Marker + new string('x', 10_000)),
        ("X-Correlation-Id", Marker + " <script>"),
        ("traceparent", Marker),
        ("Accept", Marker + "/*;q=" + new string('9', 1000)),
        ("Accept-Language", Marker + new string(',', 5000)),
        ("Content-Encoding", "gzip"),
    ];

    /// <summary>Every hostile request for one operation's parameters and JSON body.</summary>
    IEnumerable<Hostile> Requests(Operation operation, Guid caseId)
    {
        var method = new HttpMethod(operation.Method);
        var url = operation.Url(caseId);
        var writes = operation.Method != "GET";
        var validBody = operation.JsonBody is null ? null : operation.ValidBody();
        Hostile Make(string what, string target, string? body, IReadOnlyList<(string, string)>? headers = null, string? contentType = "application/json") =>
            new(operation.Key, what, method, target, body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : contentType, headers ?? [], writes);

        // Path parameters: the case id.
        if (operation.Path.Contains("{id}"))
            foreach (var id in new[] { "not-a-case", Marker, "0", new string('9', 10_000), Guid.Empty.ToString(), Guid.NewGuid().ToString(), "..%2F..%2Fswagger" })
                yield return Make($"id '{Short(id)}'", operation.Path.Replace("{id}", id), validBody) with { MustRefuse = true };

        // Query parameters: each hostile value alone, and each parameter repeated.
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            foreach (var value in QueryValues)
                yield return Make($"{parameter.Name}={Short(value)}", $"{url}?{parameter.Name}={value}", validBody);
            yield return Make($"{parameter.Name} repeated", $"{url}?{parameter.Name}=1&{parameter.Name}=2&{parameter.Name}=3", validBody);
        }

        // Header parameters the document declares, with a valid body so only the header is wrong.
        foreach (var parameter in operation.Parameters.Where(p => p.In == "header"))
            foreach (var value in parameter.Name == "If-Match" ? HostileVersions : HostileHeaderValues)
                yield return Make($"{parameter.Name}: {Short(value)}", url, validBody, [(parameter.Name, value)]) with { MustRefuse = true };

        if (operation.JsonBody is not { } fields) yield break;
        var valid = operation.ValidBody();

        // The body as a whole.
        foreach (var (what, body) in new (string, string)[]
                 {
                     ("a literal null body", "null"), ("an empty body", ""), ("a list body", "[]"), ("a string body", $"\"{Marker}\""),
                     ("a number body", "1"), ("an empty object", "{}"), ("unknown fields only", $"{{\"{Marker}\":1}}"),
                     ("half a body", valid[..(valid.Length / 2)]), ("an unclosed object", "{"), ("a body nested 10,000 deep", Deep),
                     ("a body of objects nested 10,000 deep", DeepObject),
                     ("a duplicate key", "{" + $"\"{fields[0].Name}\":{fields[0].ValidJson}," + valid[1..]),
                     ("a duplicate key differing in case", "{" + $"\"{fields[0].Name.ToUpperInvariant()}\":{fields[0].ValidJson}," + valid[1..]),
                     ("two bodies", valid + valid),
                     ("a 10 MB body", operation.ValidBody(fields.Take(1), $"\"{Marker}{new string('x', 10 * 1024 * 1024)}\"")),
                 })
            yield return Make(what, url, body);

        yield return Make("no content type", url, valid, contentType: null);
        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", Marker })
            yield return Make($"Content-Type {type}", url, valid, contentType: type);
        foreach (var header in HostileHeaders)
            yield return Make($"{header.Name}: {Short(header.Value)} with a wrong field", url, operation.ValidBody(fields.Take(1), "12345"), [header]);
        foreach (var authorization in new[] { "Bearer " + Marker, "Bearer " + new string('a', 100_000), "Basic " + Marker, "Bearer eyJhbGciOiJub25lIn0.e30." })
            yield return Make($"Authorization {Short(authorization)}", url, valid, [("Authorization", authorization)]) with { Sender = api.Anonymous() };

        var invalidUtf8 = Encoding.UTF8.GetBytes(operation.ValidBody(fields.Take(1), $"\"{Marker}@@\""));
        var at = Encoding.UTF8.GetString(invalidUtf8).IndexOf("@@", StringComparison.Ordinal);
        invalidUtf8[at] = 0xC3;
        invalidUtf8[at + 1] = 0x28;
        yield return new Hostile(operation.Key, "invalid UTF-8", method, url, invalidUtf8, "application/json", [], writes);

        // Each field in turn, the others valid.
        foreach (var field in fields)
            foreach (var (what, json) in WrongForAnyField(field))
                yield return Make($"{field.Name} = {what}", url, operation.ValidBody([field], json));
    }

    /// <summary>Broken CSV files for an operation that takes one.</summary>
    static IEnumerable<Hostile> CsvRequests(Operation operation, Func<HttpClient> sender)
    {
        const string header = "case_ref,occurred_on,specialty,channels,concern,summary";
        string Row(string reference, string summary = "Friend requests.", string channels = "facebook", string occurredOn = "2001-05-06") =>
            $"{reference},{occurredOn},general-practice,{channels},amorous-advances,{summary}";
        string Ref() => $"{Marker}-{Guid.NewGuid():N}";
        Hostile Csv(string what, byte[] body, string contentType = "text/csv") =>
            new(operation.Key, what, HttpMethod.Post, operation.Path, body, contentType, [], true, sender(), RefusedAsImport: true);
        Hostile Text(string what, string body, string contentType = "text/csv") => Csv(what, Encoding.UTF8.GetBytes(body), contentType);

        yield return Text("a BOM, CRLF and one bad row", "\uFEFF" + header + "\r\n" + Row(Ref()) + "\r\n" + Row(Ref(), channels: "pigeon") + "\r\n");
        yield return Text("an unclosed quote", header + "\n" + Row(Ref(), summary: "\"Friend requests.") + "\n" + Row(Ref()));
        yield return Text("a million-character field", header + "\n" + Row(Ref(), summary: Marker + new string('x', 1_000_000)));
        yield return Text("200 KB of channels", header + "\n" + Row(Ref(), channels: string.Join("|", Enumerable.Repeat(Marker, 15_000))));
        var twice = Ref();
        yield return Text("one case_ref twice", header + "\n" + Row(twice) + "\n" + Row(twice));
        yield return Text("one case_ref twice, differing in spaces", header + "\n" + Row(twice) + "\n" + Row("\" " + twice + " \""));
        yield return Text("a NUL in a cell", header + "\n" + Row(Ref()) + "\n" + Row(Ref(), summary: Marker + "\0held"));
        yield return Text("a control character in a cell", header + "\n" + Row(Ref(), summary: Marker + "\u0007"));
        yield return Text("NUL in the header", header.Replace("summary", "sum\0mary") + "\n" + Row(Ref()));
        yield return Text("an empty file", "");
        yield return Text("a blank file", "\r\n\r\n");
        yield return Text("no header", Row(Ref()));
        yield return Text("a duplicate column", header + ",summary\n" + Row(Ref()) + ",again");
        yield return Text("an unknown column", header + "," + Marker + "\n" + Row(Ref()) + ",x");
        yield return Text("100,000 columns", header + "\n" + Row(Ref()) + string.Concat(Enumerable.Repeat(",x", 100_000)));
        yield return Text("too few cells", header + "\n" + Ref() + ",2001-05-06");
        yield return Text("calendar extremes", header + "\n" + string.Join("\n", CalendarExtremes.Select(d => Row(Ref(), occurredOn: d))));
        yield return Text("100,000 bad rows", header + "\n" + string.Join("\n", Enumerable.Range(0, 100_000).Select(_ => Row(Marker, channels: "pigeon"))));
        yield return Text("600 rows, the 560th with a NUL", header + "\n" + string.Join("\n",
            Enumerable.Range(0, 600).Select(i => Row(Ref(), summary: i == 559 ? Marker + "\0" : "Friend requests."))));
        var invalid = Encoding.UTF8.GetBytes(header + "\n" + Row(Ref(), summary: Marker + "@@"));
        var at = Encoding.UTF8.GetString(invalid).IndexOf("@@", StringComparison.Ordinal);
        invalid[at] = 0xC3;
        invalid[at + 1] = 0x28;
        yield return Csv("invalid UTF-8", invalid);
        yield return Text("UTF-16", "", "text/csv") with { Body = Encoding.Unicode.GetBytes(header + "\n" + Row(Ref())), What = "UTF-16 without a BOM" };
        yield return Text("JSON sent as CSV", "{\"case_ref\":1}");
        yield return Text("a CSV as text/plain", header + "\n" + Row(Ref()), "text/plain");
        yield return Text("a CSV as JSON", header + "\n" + Row(Ref()), "application/json");
    }

    static string Short(string value) => value.Length > 40 ? value[..40] + $"…({value.Length})" : value;
}
