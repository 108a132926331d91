using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;

namespace Defence.Domain.Cases;

/// <summary>
/// The write-side state of a case: only what its decisions need. Decisions are pure: they take the state, a
/// command as it was sent, the actor and the time, check every field by the domain's rules and then the case's
/// state, and return the event to append or a rejection.
/// </summary>
public sealed record Case(
    Guid Id,
    Guid? MemberId,
    DateOnly OccurredOn,
    CaseStatus Status,
    Guid? AssignedTo,
    DateOnly? GmcComplaintReceivedOn,
    DateOnly? AllegationWithdrawnOn)
{
    /// <summary>Longest GMC reference or MDO case reference.</summary>
    public const int MaxReferenceLength = 100;

    public bool HasGmcComplaint => GmcComplaintReceivedOn is not null;

    public static Decision<ReportReceived> Report(Guid caseId, Guid memberId, ReportIncident command, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var specialty = errors.Code<Specialty>(command.Specialty, "specialty");
        var channels = errors.Codes<Channel>(command.Channels, "channels", atLeastOne: true);
        var concern = errors.Code<Concern>(command.Concern, "concern");
        var occurredOn = errors.PastDate(command.OccurredOn, "occurredOn", at);
        var summary = errors.Text(command.Summary, "summary");
        string? patientReference = null;
        if (!string.IsNullOrWhiteSpace(command.PatientReference)
            && !PatientReference.TryNormalise(command.PatientReference, at.Year, out patientReference!))
            errors.Add("patientReference", $"Give only {PatientReference.Format}.");
        if (errors.Any) return errors;

        return new ReportReceived(caseId, memberId, specialty, channels.Distinct().ToArray(), concern, occurredOn, summary, patientReference, at);
    }

    public Decision<CaseAssigned> Assign(AssignCase command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var adviserId = errors.UserId(command.AdviserId, "adviserId");
        if (errors.Any) return errors;

        if (Status == CaseStatus.Closed) return ClosedRejection("assigned");
        if (AssignedTo == adviserId) return new Rejection("The case is already assigned to that adviser.");
        return new CaseAssigned(Id, adviserId, by, at);
    }

    public Decision<AdviceGiven> GiveAdvice(GiveAdvice command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var advice = errors.Text(command.Advice, "advice");
        var actions = errors.Codes<AdviceAction>(command.Actions, "actions", atLeastOne: false);
        if (errors.Any) return errors;

        if (Status == CaseStatus.Closed) return ClosedRejection("given advice");
        return new AdviceGiven(Id, advice, actions.Distinct().ToArray(), by, at);
    }

    /// <summary>
    /// Contacts are accepted on closed cases too: the "keep a log" advice outlives the case, and
    /// refusing a member's record of a new approach would lose exactly the evidence a reopening needs.
    /// </summary>
    public Decision<ContactLogged> LogContact(LogContact command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var channel = errors.Code<Channel>(command.Channel, "channel");
        var occurredAt = errors.Required(command.OccurredAt, "occurredAt");
        if (command.OccurredAt < CaseDates.EarliestTime) errors.Add("occurredAt", CaseDates.TooEarlyMessage);
        if (command.OccurredAt > at) errors.Add("occurredAt", "A contact cannot be logged before it happens.");
        var note = errors.Text(command.Note, "note");
        if (errors.Any) return errors;

        return new ContactLogged(Id, channel, occurredAt, note, by, at);
    }

    public Decision<GmcComplaintLinked> LinkGmcComplaint(LinkGmcComplaint command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var reference = errors.Text(command.GmcReference, "gmcReference", MaxReferenceLength, TextKind.SingleLine);
        var receivedOn = errors.Required(command.ReceivedOn, "receivedOn");
        if (command.ReceivedOn > CaseDates.LatestToday(at)) errors.Add("receivedOn", "The complaint cannot be received in the future.");
        else if (command.ReceivedOn < OccurredOn) errors.Add("receivedOn", $"The complaint cannot be received before the incident ({OccurredOn:yyyy-MM-dd}).");
        var allegation = errors.Text(command.Allegation, "allegation");
        if (errors.Any) return errors;

        if (Status == CaseStatus.Closed) return ClosedRejection("linked to a GMC complaint");
        if (HasGmcComplaint) return new Rejection("A GMC complaint is already linked to this case.");
        return new GmcComplaintLinked(Id, reference, receivedOn, allegation, by, at);
    }

    public Decision<AllegationWithdrawn> RecordWithdrawal(RecordWithdrawal command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var withdrawnOn = errors.Required(command.WithdrawnOn, "withdrawnOn");
        if (command.WithdrawnOn > CaseDates.LatestToday(at)) errors.Add("withdrawnOn", "The withdrawal cannot be dated in the future.");
        var reason = errors.Text(command.Reason, "reason");
        if (errors.Any) return errors;

        if (Status == CaseStatus.Closed) return ClosedRejection("given a withdrawal");
        if (!HasGmcComplaint) return new Rejection("No GMC complaint is linked to this case, so there is no allegation to withdraw.");
        if (AllegationWithdrawnOn is not null) return new Rejection("The allegation has already been withdrawn.");
        // The complaint's own date is never before the earliest case date, so this also bounds the withdrawal's.
        if (withdrawnOn < GmcComplaintReceivedOn)
            return Rejection.OnField("withdrawnOn", $"The allegation cannot be withdrawn before the complaint was received ({GmcComplaintReceivedOn:yyyy-MM-dd}).");
        return new AllegationWithdrawn(Id, withdrawnOn, reason, by, at);
    }

    public Decision<CaseClosed> Close(CloseCase command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var outcome = errors.Text(command.Outcome, "outcome");
        if (errors.Any) return errors;

        if (Status == CaseStatus.Closed) return new Rejection("The case is already closed.");
        return new CaseClosed(Id, outcome, by, at);
    }

    public Decision<CaseReopened> Reopen(ReopenCase command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var reason = errors.Text(command.Reason, "reason");
        if (errors.Any) return errors;

        if (Status == CaseStatus.Open) return new Rejection("The case is open, so it cannot be reopened.");
        return new CaseReopened(Id, reason, by, at);
    }

    /// <summary>Erasure applies to a member's own report, open or closed; imported history has no member to erase.</summary>
    public Decision<PersonalDetailsErased> ErasePersonalDetails(ErasePersonalDetails command, Guid by, DateTimeOffset at)
    {
        var errors = new FieldErrors();
        var reason = errors.Text(command.Reason, "reason");
        if (errors.Any) return errors;

        if (MemberId is null) return new Rejection("An imported case has no member whose details could be erased.");
        return new PersonalDetailsErased(Id, reason, by, at);
    }

    static Rejection ClosedRejection(string what) =>
        new($"The case is closed, so it cannot be {what}; reopen it first.");

    /// <summary>Folds one event into the state. Unknown events leave the state as it is.</summary>
    public static Case? Evolve(Case? state, object @event) => (state, @event) switch
    {
        (null, ReportReceived e) => new Case(e.CaseId, e.MemberId, e.OccurredOn, CaseStatus.Open, null, null, null),
        (null, CaseImported e) => new Case(e.CaseId, null, e.OccurredOn, CaseStatus.Open, null, null, null),
        (null, _) => null,
        (_, CaseImported) => state,
        (_, ReportReceived) => state, // a stream has one report; a stray second one changes nothing
        (_, CaseAssigned e) => state with { AssignedTo = e.AdviserId },
        (_, GmcComplaintLinked e) => state with { GmcComplaintReceivedOn = e.ReceivedOn },
        (_, AllegationWithdrawn e) => state with { AllegationWithdrawnOn = e.WithdrawnOn },
        (_, CaseClosed) => state with { Status = CaseStatus.Closed },
        (_, CaseReopened) => state with { Status = CaseStatus.Open },
        _ => state,
    };
}
