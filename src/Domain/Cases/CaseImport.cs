using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;

namespace Defence.Domain.Cases;

/// <summary>An imported case: its first event and the history replayed after it, in order.</summary>
public sealed record ImportedHistory(CaseImported Imported, IReadOnlyList<ICaseEvent> Events);

/// <summary>
/// Turns a case from an MDO's records into events: the import itself, then its GMC complaint, withdrawal and
/// closure replayed through the case's own decisions, each dated as it happened, so an imported case obeys
/// exactly the rules a case worked in the product does.
/// </summary>
public static class CaseImport
{
    public const string AllegationNotRecorded = "Not recorded in the imported history.";
    public const string WithdrawalNotRecorded = "Recorded as withdrawn in the imported history.";
    public const string OutcomeNotRecorded = "Closed (no outcome recorded in the imported history).";

    /// <param name="caseIdFor">The case's id for its cleaned reference, so a reference imported again names the same case.</param>
    public static Decision<ImportedHistory> Decide(ImportCase command, Func<string, Guid> caseIdFor, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var reference = errors.Text(command.CaseReference, "caseReference", Case.MaxReferenceLength, TextKind.SingleLine);
        var occurredOn = errors.PastDate(command.OccurredOn, "occurredOn", at);
        var specialty = errors.Code<Specialty>(command.Specialty, "specialty");
        var channels = errors.Codes<Channel>(command.Channels, "channels", atLeastOne: true);
        var concern = errors.Code<Concern>(command.Concern, "concern");
        var summary = errors.Text(command.Summary, "summary");
        if ((command.GmcReference is null) != (command.GmcReceivedOn is null))
            errors.Add("gmcReference", "The GMC reference and the date the complaint was received go together: give both or neither.");
        if (command.Outcome is not null && command.ClosedOn is null)
            errors.Add("outcome", "An outcome needs the date the case was closed.");
        if (command.AllegationWithdrawnOn is not null && command.GmcReceivedOn is null)
            errors.Add("allegationWithdrawnOn", "A withdrawal needs the GMC complaint it withdraws.");
        if (command.ClosedOn is { } closed && new[] { command.OccurredOn, command.GmcReceivedOn, command.AllegationWithdrawnOn }.Max() is { } latest && closed < latest)
            errors.Add("closedOn", "Cannot be before another date of the case.");
        // The replayed decisions judge each date at its own day, so the history as a whole is judged at the import's time.
        foreach (var (field, date) in new[] { ("gmcReceivedOn", command.GmcReceivedOn), ("allegationWithdrawnOn", command.AllegationWithdrawnOn), ("closedOn", command.ClosedOn) })
            if (date is { } day && CaseDates.ProblemWith(day, at) is { } problem) errors.Add(field, problem);
        if (errors.Any) return errors;

        var caseId = caseIdFor(reference);
        var imported = new CaseImported(caseId, reference, specialty, channels.Distinct().ToArray(), concern, occurredOn, summary, by, at);
        var events = new List<ICaseEvent> { imported };
        var state = Case.Evolve(null, imported)!;

        // Each replayed decision names its own fields; they are renamed to the import's.
        bool Replay<TEvent>(Decision<TEvent> decision, Func<string, string> rename) where TEvent : class, ICaseEvent
        {
            if (decision.Rejection is { } rejection)
            {
                if (rejection.Errors is { } fields) errors.AddAll(fields, rename);
                else errors.Add(rename(""), rejection.Reason);
                return false;
            }
            events.Add(decision.Event!);
            state = Case.Evolve(state, decision.Event!)!;
            return true;
        }

        var ok = true;
        if (command.GmcReceivedOn is { } received)
            ok = Replay(state.LinkGmcComplaint(new LinkGmcComplaint(command.GmcReference, received, AllegationNotRecorded), by, At(received)),
                f => f switch { "receivedOn" => "gmcReceivedOn", "gmcReference" => "gmcReference", _ => "gmcReceivedOn" });
        if (ok && command.AllegationWithdrawnOn is { } withdrawn)
            ok = Replay(state.RecordWithdrawal(new RecordWithdrawal(withdrawn, WithdrawalNotRecorded), by, At(withdrawn)), _ => "allegationWithdrawnOn");
        if (ok && command.ClosedOn is { } closedOn)
            Replay(state.Close(new CloseCase(command.Outcome ?? OutcomeNotRecorded), by, At(closedOn)), f => f == "outcome" ? "outcome" : "closedOn");
        if (errors.Any) return errors;

        return new ImportedHistory(imported, events);
    }

    static DateTimeOffset At(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
