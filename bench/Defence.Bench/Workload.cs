using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Defence.Api.Cases;
using Defence.Domain.Cases;
using Defence.Api.Identity;
using Defence.Domain.Vocabulary;

namespace Defence.Bench;

/// <summary>
/// The requests of the benchmark, as a portal and analysts would send them, and the synthetic history
/// the large stage imports. Skewed like an MDO's caseload: mostly GPs, mostly one channel.
/// </summary>
public sealed class Workload
{
    public const string Summary = "Repeated friend requests, letters and gifts from a patient after a routine consultation.";
    /// <summary>The trends question of the read phases: two dimensions over a ten-year period.</summary>
    public const string TrendsQuery = "by=specialty,year&from=2010-01-01&to=2019-12-31";
    const string AdviceBody =
        """{"advice":"Explain in writing that only a professional relationship is possible.","actions":["explain-boundary-in-writing","keep-contact-log","do-not-reply"]}""";

    static readonly (Specialty Value, int Weight)[] Specialties =
    [
        (Specialty.GeneralPractice, 40), (Specialty.Psychiatry, 12), (Specialty.ObstetricsGynaecology, 8), (Specialty.EmergencyMedicine, 6),
        (Specialty.Surgery, 6), (Specialty.Medicine, 6), (Specialty.Paediatrics, 4), (Specialty.Anaesthetics, 3), (Specialty.Radiology, 2),
        (Specialty.Dermatology, 3), (Specialty.Ophthalmology, 2), (Specialty.Dentistry, 5), (Specialty.Other, 3),
    ];
    static readonly (Concern Value, int Weight)[] Concerns =
    [
        (Concern.AmorousAdvances, 30), (Concern.Harassment, 20), (Concern.OnlineCriticism, 20), (Concern.Complaint, 15),
        (Concern.ThreatsOrViolence, 10), (Concern.Other, 5),
    ];
    static readonly (Channel Value, int Weight)[] Channels =
    [
        (Channel.Facebook, 20), (Channel.TextMessage, 15), (Channel.Letter, 15), (Channel.Email, 12), (Channel.Phone, 10),
        (Channel.InPerson, 8), (Channel.Instagram, 6), (Channel.Twitter, 4), (Channel.Gift, 5), (Channel.OtherSocialMedia, 3), (Channel.Other, 2),
    ];
    static readonly string[] Summaries =
    [
        "Patient sent repeated friend requests and personal messages after a routine consultation.",
        "Patient wrote letters declaring feelings for the doctor and asked to meet outside the surgery.",
        "Patient sent frequent late-night text messages of a personal nature.",
        "Patient left cards and small gifts at reception with notes asking for a date.",
        "Patient posted hostile reviews naming the doctor on several websites.",
        "Patient waited outside the practice after hours and followed the doctor to the car park.",
    ];

    readonly HttpClient _http;
    readonly string[] _memberTokens;
    readonly string _adviser, _analyst, _admin;

    public Workload(HttpClient http, ApiSettings settings, int workers)
    {
        _http = http;
        // One member per worker: reports come from many members, each token validated on every request.
        _memberTokens = Enumerable.Range(0, workers).Select(_ => settings.Token(Roles.Member)).ToArray();
        _adviser = settings.Token(Roles.Adviser);
        _analyst = settings.Token(Roles.Analyst);
        _admin = settings.Token(Roles.TenantAdmin);
    }

    public static HttpClient Client(int workers) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        MaxConnectionsPerServer = workers + 4,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    public Uri? BaseAddress { get; set; }

    /// <summary>POST /api/reports as worker's member; the new case id goes to <paramref name="created"/>.</summary>
    public async Task<Outcome> ReportAsync(int worker, ConcurrentQueue<Guid>? created, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "/api/reports", _memberTokens[worker % _memberTokens.Length]);
        request.Content = new StringContent(ReportBody(Random.Shared), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created) return await Failure(response, ct);
        if (created is not null)
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            created.Enqueue(json.RootElement.GetProperty("caseId").GetGuid());
        }
        else await response.Content.LoadIntoBufferAsync(ct);
        return Outcome.Success;
    }

    public async Task<Outcome> AdviceAsync(Guid caseId, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, $"/api/cases/{caseId}/advice", _adviser);
        request.Content = new StringContent(AdviceBody, Encoding.UTF8, "application/json");
        return await Send(request, HttpStatusCode.OK, ct);
    }

    public async Task<Outcome> GetCaseAsync(Guid caseId, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"/api/cases/{caseId}", _adviser);
        return await Send(request, HttpStatusCode.OK, ct);
    }

    /// <summary>GET /health: no token, no database; what the HTTP stack alone costs on this machine.</summary>
    public async Task<Outcome> HealthAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress!, "/health/live"));
        return await Send(request, HttpStatusCode.OK, ct);
    }

    public async Task<Outcome> TrendsAsync(CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"/api/trends?{TrendsQuery}", _analyst);
        return await Send(request, HttpStatusCode.OK, ct);
    }

    /// <summary>The trends answer's total, to check that the store's cases are counted.</summary>
    public async Task<long> TrendsTotalAsync(CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, "/api/trends?by=year", _analyst);
        using var response = await _http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("total").GetInt64();
    }

    /// <summary>POST /api/imports/cases as a tenant admin; returns the number of cases imported.</summary>
    public async Task<int> ImportAsync(string csv, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "/api/imports/cases", _admin);
        request.Content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        using var response = await _http.SendAsync(request, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Import answered {(int)response.StatusCode}: {Clip(text)}");
        using var json = JsonDocument.Parse(text);
        if (json.RootElement.GetProperty("errors").GetArrayLength() > 0) throw new InvalidOperationException($"Import refused rows: {Clip(text)}");
        return json.RootElement.GetProperty("imported").GetInt32();
    }

    HttpRequestMessage Request(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress!, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    async Task<Outcome> Send(HttpRequestMessage request, HttpStatusCode expected, CancellationToken ct)
    {
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode != expected) return await Failure(response, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return Outcome.Success;
    }

    static async Task<Outcome> Failure(HttpResponseMessage response, CancellationToken ct) =>
        new(false, $"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {Clip(await response.Content.ReadAsStringAsync(ct))}");

    static string Clip(string text) => text.Length > 300 ? text[..300] + "..." : text;

    static string ReportBody(Random random)
    {
        var occurredOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-random.Next(1, 3 * 365));
        var channels = string.Join(",", PickChannels(random).Select(c => $"\"{Code.Of(c)}\""));
        return $$"""{"specialty":"{{Code.Of(Pick(Specialties, random))}}","channels":[{{channels}}],"concern":"{{Code.Of(Pick(Concerns, random))}}","occurredOn":"{{occurredOn:yyyy-MM-dd}}","summary":"{{Summary}}","patientReference":"JS 1984"}""";
    }

    // ---- the synthetic history for the import ----

    public static string CaseReference(long row) => $"BENCH-{row:D8}";

    public static Guid ImportedCaseId(long row) => CaseIds.Named($"import/{ApiSettings.Tenant}/{CaseReference(row)}");

    public const int EventsPerImportedRow = 4;

    /// <summary>
    /// CSV rows <paramref name="first"/> .. first+count-1, each a whole case history (imported, GMC complaint,
    /// allegation withdrawn, closed: <see cref="EventsPerImportedRow"/> events), incidents spread over 2005-2024.
    /// Deterministic per row number.
    /// </summary>
    public static void WriteCsv(TextWriter writer, long first, long count)
    {
        writer.Write("case_ref,occurred_on,specialty,channels,concern,summary,gmc_reference,gmc_received_on,allegation_withdrawn_on,closed_on,outcome\n");
        var start = new DateOnly(2005, 1, 1);
        var days = new DateOnly(2024, 6, 30).DayNumber - start.DayNumber;
        for (var row = first; row < first + count; row++)
        {
            var random = new Random((int)(row * 7919 % int.MaxValue));
            var occurred = start.AddDays(random.Next(days));
            var received = occurred.AddDays(random.Next(20, 60));
            var withdrawn = received.AddDays(random.Next(30, 120));
            var closed = withdrawn.AddDays(random.Next(1, 30));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{CaseReference(row)},{occurred:yyyy-MM-dd},{Code.Of(Pick(Specialties, random))},{string.Join('|', PickChannels(random).Select(Code.Of))}," +
                $"{Code.Of(Pick(Concerns, random))},{Summaries[random.Next(Summaries.Length)]},GMC-B{row:D8},{received:yyyy-MM-dd}," +
                $"{withdrawn:yyyy-MM-dd},{closed:yyyy-MM-dd},Allegation withdrawn; no further action.\n"));
        }
    }

    static T Pick<T>((T Value, int Weight)[] choices, Random random)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        return choices[^1].Value;
    }

    /// <summary>One channel mostly, two often, three sometimes.</summary>
    static IReadOnlyList<Channel> PickChannels(Random random)
    {
        var roll = random.Next(100);
        var count = roll < 70 ? 1 : roll < 95 ? 2 : 3;
        var set = new HashSet<Channel>();
        for (var i = 0; set.Count < count && i < 20; i++) set.Add(Pick(Channels, random));
        return set.ToArray();
    }
}
