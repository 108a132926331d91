using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Defence.Api.Cases;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using Defence.Projections.Cases;
using Marten;
using Marten.Exceptions;

namespace Defence.Api.Imports;

public sealed record ImportError(long Line, string Message);

/// <param name="Imported">Cases created.</param>
/// <param name="Skipped">Rows whose <c>case_ref</c> the tenant already has.</param>
/// <param name="Errors">Every bad row; when there is one, nothing was imported.</param>
public sealed record ImportResult(int Imported, int Skipped, IReadOnlyList<ImportError> Errors);

public enum ImportPhase { Validating, Importing }

public sealed record ImportProgress(ImportPhase Phase, long Rows);

/// <summary>
/// Loads an MDO's historical cases from CSV (API.md, "Historical import"), for the HTTP endpoint and
/// the command line alike. The file is read twice, streaming, never held in memory: first every row is
/// validated, and a single bad row stops the import with every bad row listed; then the cases are written
/// in batches. Each case id is derived from the tenant and <c>case_ref</c>, so a repeated or concurrent
/// import of the same rows creates nothing twice, and an import interrupted between batches can simply be run again.
/// </summary>
public sealed class CaseImporter(IDocumentStore store, TimeProvider clock)
{
    public const int BatchSize = 500;
    public const int MaxReferenceLength = 100;
    const string OutcomeNotRecorded = "Closed (no outcome recorded in the imported history).";
    const string AllegationNotRecorded = "Not recorded in the imported history.";
    const string WithdrawalNotRecorded = "Recorded as withdrawn in the imported history.";

    static readonly string[] Required = ["case_ref", "occurred_on", "specialty", "channels", "concern", "summary"];
    static readonly string[] Optional = ["gmc_reference", "gmc_received_on", "allegation_withdrawn_on", "closed_on", "outcome"];

    sealed record Row(long Line, string Reference, Guid CaseId, object[] Events);

    public async Task<ImportResult> ImportAsync(
        Func<Stream> openFile, string tenant, Guid importedBy, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new List<ImportError>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        long rows = 0;
        await foreach (var row in ReadAsync(openFile, tenant, importedBy, now, errors, ct))
        {
            if (!references.Add(row.Reference))
                errors.Add(new ImportError(row.Line, $"case_ref '{row.Reference}' appears more than once in the file."));
            if (++rows % 10_000 == 0) progress?.Report(new ImportProgress(ImportPhase.Validating, rows));
        }
        if (rows % 10_000 != 0) progress?.Report(new ImportProgress(ImportPhase.Validating, rows));
        if (errors.Count > 0) return new ImportResult(0, 0, errors);
        references.Clear();

        int imported = 0, skipped = 0;
        var batch = new List<Row>(BatchSize);
        rows = 0;
        await foreach (var row in ReadAsync(openFile, tenant, importedBy, now, errors, ct))
        {
            batch.Add(row);
            if (batch.Count < BatchSize) continue;
            (imported, skipped) = Add((imported, skipped), await WriteAsync(tenant, batch, ct));
            rows += batch.Count;
            batch.Clear();
            if (rows % 10_000 == 0) progress?.Report(new ImportProgress(ImportPhase.Importing, rows));
        }
        if (batch.Count > 0) (imported, skipped) = Add((imported, skipped), await WriteAsync(tenant, batch, ct));
        if ((rows + batch.Count) % 10_000 != 0) progress?.Report(new ImportProgress(ImportPhase.Importing, rows + batch.Count));
        return new ImportResult(imported, skipped, errors);
    }

    static (int, int) Add((int, int) a, (int, int) b) => (a.Item1 + b.Item1, a.Item2 + b.Item2);

    /// <summary>Writes the rows whose case does not exist yet; a racing import of the same rows is retried once.</summary>
    async Task<(int Imported, int Skipped)> WriteAsync(string tenant, List<Row> batch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession(tenant);
            var ids = batch.Select(r => r.CaseId).ToArray();
            var existing = (await session.Query<CaseView>().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            var fresh = batch.Where(r => !existing.Contains(r.CaseId)).ToList();
            foreach (var row in fresh)
                session.Events.StartStream<Case>(row.CaseId, row.Events);
            try
            {
                await session.SaveChangesAsync(ct);
                return (fresh.Count, batch.Count - fresh.Count);
            }
            catch (ExistingStreamIdCollisionException) when (attempt == 1)
            {
            }
        }
    }

    async IAsyncEnumerable<Row> ReadAsync(
        Func<Stream> openFile, string tenant, Guid importedBy, DateTimeOffset now, List<ImportError> errors,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = openFile();
        using var text = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            MissingFieldFound = null,
        });

        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            errors.Add(new ImportError(1, $"The file is empty: it needs a header row with {string.Join(", ", Required)}."));
            yield break;
        }
        var missing = Required.Except(header).ToArray();
        var unknown = header.Except(Required).Except(Optional).ToArray();
        if (missing.Length > 0) errors.Add(new ImportError(1, $"Missing required column(s): {string.Join(", ", missing)}."));
        if (unknown.Length > 0) errors.Add(new ImportError(1, $"Unknown column(s): {string.Join(", ", unknown)}; the columns are {string.Join(", ", Required.Concat(Optional))}."));
        if (missing.Length > 0 || unknown.Length > 0) yield break;

        while (await csv.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            var line = csv.Parser.RawRow;
            if (csv.Parser.Record is { Length: 1 } only && string.IsNullOrWhiteSpace(only[0])) continue; // blank line
            var row = Parse(csv, line, tenant, importedBy, now, errors);
            if (row is not null) yield return row;
        }
    }

    static Row? Parse(CsvReader csv, long line, string tenant, Guid by, DateTimeOffset now, List<ImportError> errors)
    {
        var problems = new List<string>();
        string? Field(string name) => csv.GetField(name) is { Length: > 0 } value ? value : null;

        var reference = Field("case_ref");
        if (reference is null) problems.Add("case_ref is required.");
        else if (reference.Length > MaxReferenceLength) problems.Add($"case_ref is longer than {MaxReferenceLength} characters.");

        var occurredOn = Date(Field("occurred_on"), "occurred_on", required: true, problems);
        if (occurredOn > Case.LatestToday(now)) problems.Add("occurred_on is in the future.");
        if (occurredOn < Case.EarliestIncidentDate) problems.Add($"occurred_on is before {Case.EarliestIncidentDate:yyyy-MM-dd}.");
        var specialty = CodeOf<Specialty>(Field("specialty"), "specialty", problems);
        var concern = CodeOf<Concern>(Field("concern"), "concern", problems);
        var channelCodes = (Field("channels") ?? "").Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var channels = channelCodes.Select(c => CodeOf<Channel>(c, "channels", problems)).OfType<Channel>().ToArray();
        if (channelCodes.Length == 0) problems.Add("channels is required: one or more channel codes separated by |.");
        var summary = Field("summary");
        if (summary is null) problems.Add("summary is required.");
        else if (summary.Length > Case.MaxTextLength) problems.Add($"summary is {summary.Length} characters long; at most {Case.MaxTextLength} are accepted.");

        var gmcReference = Field("gmc_reference");
        var gmcReceivedOn = Date(Field("gmc_received_on"), "gmc_received_on", required: false, problems);
        var withdrawnOn = Date(Field("allegation_withdrawn_on"), "allegation_withdrawn_on", required: false, problems);
        var closedOn = Date(Field("closed_on"), "closed_on", required: false, problems);
        var outcome = Field("outcome");
        if ((gmcReference is null) != (Field("gmc_received_on") is null))
            problems.Add("gmc_reference and gmc_received_on go together: give both or neither.");
        if (outcome is not null && Field("closed_on") is null) problems.Add("outcome needs closed_on.");
        if (gmcReceivedOn < occurredOn) problems.Add("gmc_received_on is before occurred_on.");
        if (new[] { gmcReceivedOn, withdrawnOn, closedOn }.Max() > Case.LatestToday(now))
            problems.Add("A date of the case's history is in the future.");
        if (closedOn < (new[] { occurredOn, gmcReceivedOn, withdrawnOn }.Max()))
            problems.Add("closed_on is before another date of the case.");

        if (problems.Count > 0 || reference is null || summary is null || occurredOn is null || specialty is null || concern is null)
        {
            errors.AddRange(problems.Select(p => new ImportError(line, p)));
            return null;
        }

        // Replay the history through the case's own decisions, dated as it happened.
        var caseId = CaseIds.Named($"import/{tenant}/{reference}");
        var events = new List<object> { Case.Import(caseId, reference, specialty.Value, channels, concern.Value, occurredOn.Value, summary, by, now) };
        var state = Case.Evolve(null, events[0])!;
        void Apply<TEvent>(Decision<TEvent> decision) where TEvent : class, ICaseEvent
        {
            if (decision.Rejection is { } rejection) { problems.Add(rejection.Reason); return; }
            events.Add(decision.Event!);
            state = Case.Evolve(state, decision.Event!)!;
        }
        if (gmcReceivedOn is { } received) Apply(state.LinkGmcComplaint(gmcReference!, received, AllegationNotRecorded, by, At(received)));
        if (withdrawnOn is { } withdrawn) Apply(state.RecordWithdrawal(withdrawn, WithdrawalNotRecorded, by, At(withdrawn)));
        if (closedOn is { } closed) Apply(state.Close(outcome ?? OutcomeNotRecorded, by, At(closed)));

        if (problems.Count > 0)
        {
            errors.AddRange(problems.Select(p => new ImportError(line, p)));
            return null;
        }
        return new Row(line, reference, caseId, events.ToArray());
    }

    static DateTimeOffset At(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    static DateOnly? Date(string? value, string column, bool required, List<string> problems)
    {
        if (value is null)
        {
            if (required) problems.Add($"{column} is required.");
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        problems.Add($"{column} '{value}' is not a date as YYYY-MM-DD.");
        return null;
    }

    static T? CodeOf<T>(string? value, string column, List<string> problems) where T : struct, Enum
    {
        if (value is null)
        {
            problems.Add($"{column} is required.");
            return null;
        }
        if (Code.TryParse<T>(value, out var parsed)) return parsed;
        problems.Add($"{column}: {Code.UnknownMessage<T>(value)}");
        return null;
    }
}
