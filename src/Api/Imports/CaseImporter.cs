using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Defence.Api.Auditing;
using Defence.Domain.Cases;
using Defence.Domain.Rules;
using Defence.Projections.Cases;
using Marten;
using Npgsql;

namespace Defence.Api.Imports;

public sealed record ImportError(long Line, string Message);

/// <param name="Imported">Cases created.</param>
/// <param name="Skipped">Rows whose <c>case_ref</c> the tenant already has.</param>
/// <param name="Errors">The bad rows, one entry per problem, by line; when there is one, nothing was imported.</param>
/// <param name="ErrorsOmitted">Problems found beyond the first <see cref="CaseImporter.MaxErrorsListed"/>, counted but not listed.</param>
public sealed record ImportResult(int Imported, int Skipped, IReadOnlyList<ImportError> Errors, int ErrorsOmitted = 0);

public enum ImportPhase { Validating, Importing }

public sealed record ImportProgress(ImportPhase Phase, long Rows);

/// <summary>
/// Loads an MDO's historical cases from CSV (docs/http-api.md, "Historical import"), for the HTTP endpoint and the
/// command line alike. Each row is parsed into the domain's <see cref="ImportCase"/> and judged by
/// <see cref="CaseImport"/>, so a row gets the same messages a report would. The file is read twice, streaming,
/// never held in memory: first every row is judged, and a single bad row stops the import with the bad rows
/// listed; then the cases are written in one transaction, all or nothing, whatever fails. Each case id is derived
/// from the tenant and <c>case_ref</c>, and imports into one tenant take turns, so a repeated or concurrent
/// import of the same rows creates nothing twice.
/// </summary>
public sealed class CaseImporter(IDocumentStore store, TimeProvider clock, ILogger<CaseImporter> logger)
{
    public const int BatchSize = 500;
    public const int MaxErrorsListed = 100;

    public static readonly IReadOnlyList<string> RequiredColumns = ["case_ref", "occurred_on", "specialty", "channels", "concern", "summary"];
    public static readonly IReadOnlyList<string> OptionalColumns = ["gmc_reference", "gmc_received_on", "allegation_withdrawn_on", "closed_on", "outcome"];

    /// <summary>The CSV column of each field the domain names.</summary>
    static readonly Dictionary<string, string> ColumnOf = new(StringComparer.Ordinal)
    {
        ["caseReference"] = "case_ref", ["occurredOn"] = "occurred_on", ["specialty"] = "specialty", ["channels"] = "channels",
        ["concern"] = "concern", ["summary"] = "summary", ["gmcReference"] = "gmc_reference", ["gmcReceivedOn"] = "gmc_received_on",
        ["allegationWithdrawnOn"] = "allegation_withdrawn_on", ["closedOn"] = "closed_on", ["outcome"] = "outcome",
    };

    sealed record Row(long Line, ImportedHistory History);

    sealed class Problems
    {
        public List<ImportError> Listed { get; } = [];
        public int Omitted { get; private set; }
        public bool Any => Listed.Count > 0;

        public void Add(long line, string message)
        {
            if (Listed.Count < MaxErrorsListed) Listed.Add(new ImportError(line, message));
            else Omitted++;
        }
    }

    public async Task<ImportResult> ImportAsync(Func<Stream> openFile, Actor actor, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problems = new Problems();
        var references = new HashSet<string>(StringComparer.Ordinal);
        long rows = 0;
        await foreach (var row in ReadAsync(openFile, actor, now, problems, ct))
        {
            if (!references.Add(row.History.Imported.CaseReference))
                problems.Add(row.Line, "case_ref: appears more than once in the file.");
            if (++rows % 10_000 == 0) progress?.Report(new ImportProgress(ImportPhase.Validating, rows));
        }
        if (rows % 10_000 != 0) progress?.Report(new ImportProgress(ImportPhase.Validating, rows));
        if (problems.Any) return new ImportResult(0, 0, problems.Listed, problems.Omitted);
        references.Clear();

        await using var write = await store.BeginWriteAsync(actor.Tenant, logger, ct);
        await write.RunAsync(() => TakeTenantsImportTurnAsync(write, actor.Tenant, ct));

        int imported = 0, skipped = 0;
        var batch = new List<Row>(BatchSize);
        rows = 0;
        async Task WriteBatchAsync()
        {
            var (fresh, present) = await WriteAsync(actor, write, batch, ct);
            (imported, skipped, rows) = (imported + fresh, skipped + present, rows + batch.Count);
            batch.Clear();
            if (rows % 10_000 == 0) progress?.Report(new ImportProgress(ImportPhase.Importing, rows));
        }
        await foreach (var row in ReadAsync(openFile, actor, now, problems, ct))
        {
            batch.Add(row);
            if (batch.Count == BatchSize) await WriteBatchAsync();
        }
        if (batch.Count > 0) await WriteBatchAsync();
        await write.CommitAsync(ct);
        if (rows % 10_000 != 0) progress?.Report(new ImportProgress(ImportPhase.Importing, rows));
        return new ImportResult(imported, skipped, []);
    }

    /// <summary>
    /// Imports into one tenant take turns (a lock held until the transaction ends), so a case_ref another import is
    /// writing is seen as present once that import commits, instead of colliding with it.
    /// </summary>
    static async Task<int> TakeTenantsImportTurnAsync(AuditedWrite write, string tenant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@key, 0))", write.Connection, write.Transaction);
        command.Parameters.AddWithValue("key", $"defence/import/{tenant}");
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes, inside the import's transaction, the rows whose case does not exist yet.</summary>
    static async Task<(int Imported, int Skipped)> WriteAsync(Actor actor, AuditedWrite write, List<Row> batch, CancellationToken ct)
    {
        await using var session = write.SessionFor(actor);
        var ids = batch.Select(r => r.History.Imported.CaseId).ToArray();
        var existing = (await write.RunAsync(() => session.Query<CaseView>().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct))).ToHashSet();
        var fresh = batch.Where(r => !existing.Contains(r.History.Imported.CaseId)).ToList();
        foreach (var row in fresh)
            session.Events.StartStream<Case>(row.History.Imported.CaseId, row.History.Events.Cast<object>().ToArray());
        await write.SaveAsync(session, ct);
        return (fresh.Count, batch.Count - fresh.Count);
    }

    async IAsyncEnumerable<Row> ReadAsync(
        Func<Stream> openFile, Actor actor, DateTimeOffset now, Problems problems,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = openFile();
        // Bytes that are not UTF-8 are refused rather than read as replacement characters into a case.
        using var text = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        string? badData = null;
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            BadDataFound = _ => badData = "A quote is misplaced or never closed: quote a field that holds commas, quotes or line breaks, and double its quotes.",
            MissingFieldFound = null,
        });
        async Task<bool> NextAsync()
        {
            try { return await csv.ReadAsync(); }
            catch (DecoderFallbackException)
            {
                problems.Add(csv.Parser.RawRow + 1, "The file is not UTF-8 text.");
                return false;
            }
        }

        if (!await NextAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            if (!problems.Any) problems.Add(1, $"The file is empty: it needs a header row with {string.Join(", ", RequiredColumns)}.");
            yield break;
        }
        var missing = RequiredColumns.Except(header).ToArray();
        var unknown = header.Except(RequiredColumns).Except(OptionalColumns).Select(c => FreeText.Quote(c)).ToArray();
        var repeated = header.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => FreeText.Quote(g.Key)).ToArray();
        if (missing.Length > 0) problems.Add(1, $"Missing required column(s): {string.Join(", ", missing)}.");
        if (unknown.Length > 0) problems.Add(1, $"Unknown column(s): {string.Join(", ", unknown.Take(10))}; the columns are {string.Join(", ", RequiredColumns.Concat(OptionalColumns))}.");
        if (repeated.Length > 0) problems.Add(1, $"Column(s) named more than once: {string.Join(", ", repeated.Take(10))}.");
        if (problems.Any) yield break;

        var caseIds = new Func<string, Guid>(reference => CaseIds.Named($"import/{actor.Tenant}/{reference}"));
        while (await NextAsync())
        {
            ct.ThrowIfCancellationRequested();
            var line = csv.Parser.RawRow;
            if (csv.Parser.Record is { Length: 1 } only && string.IsNullOrWhiteSpace(only[0])) continue; // blank line
            if (badData is not null || csv.Parser.Count != header.Length)
            {
                problems.Add(line, badData ?? $"The line has {csv.Parser.Count} fields; the header names {header.Length}.");
                badData = null;
                continue;
            }

            var errors = new FieldErrors();
            var command = Parse(csv, errors);
            var decision = CaseImport.Decide(command, caseIds, actor.UserId, now);
            // A date that did not parse was passed as missing; its parse message is the one to keep.
            if (decision.Rejection?.Errors is { } rejected)
                foreach (var (field, messages) in rejected.Listed)
                    if (!errors.Fields.Contains(field))
                        foreach (var message in messages) errors.Add(field, message);
            if (errors.Any)
            {
                foreach (var (field, messages) in errors.Listed)
                foreach (var message in messages)
                    problems.Add(line, $"{Column(field)}: {message}");
                for (var i = 0; i < errors.Omitted; i++) problems.Add(line, "(more problems on this line)");
                continue;
            }
            yield return new Row(line, decision.Event!);
        }
    }

    /// <summary>Only parsing: the columns as the domain's command; dates that are not dates are the one problem found here.</summary>
    static ImportCase Parse(CsvReader csv, FieldErrors errors)
    {
        string? Field(string name) => csv.GetField(name) is { Length: > 0 } value ? value : null;
        DateOnly? Date(string column, string field)
        {
            if (Field(column) is not { } value) return null;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            errors.Add(field, CaseDates.NotADateMessage);
            return null;
        }

        var channels = Field("channels")?.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new ImportCase(
            CaseReference: Field("case_ref"),
            OccurredOn: Date("occurred_on", "occurredOn"),
            Specialty: Field("specialty"),
            Channels: channels,
            Concern: Field("concern"),
            Summary: Field("summary"),
            GmcReference: Field("gmc_reference"),
            GmcReceivedOn: Date("gmc_received_on", "gmcReceivedOn"),
            AllegationWithdrawnOn: Date("allegation_withdrawn_on", "allegationWithdrawnOn"),
            ClosedOn: Date("closed_on", "closedOn"),
            Outcome: Field("outcome"));
    }

    static string Column(string field)
    {
        var bracket = field.IndexOf('[');
        var name = bracket < 0 ? field : field[..bracket];
        return ColumnOf.TryGetValue(name, out var column) ? column + (bracket < 0 ? "" : field[bracket..]) : field;
    }
}
