using Defence.Domain.Vocabulary;

namespace Defence.Domain.Cases;

/// <summary>
/// The write-side state of a case: only what its decisions need. Decisions are pure: they take the
/// state, the command's values, the actor and the time, and return an event or a rejection.
/// </summary>
public sealed record Case(
    Guid Id,
    Guid? MemberId,
    CaseStatus Status,
    Guid? AssignedTo,
    DateOnly? GmcComplaintReceivedOn,
    DateOnly? AllegationWithdrawnOn)
{
    /// <summary>Longest free text accepted in any case field (summary, advice, notes, reasons).</summary>
    public const int MaxTextLength = 4000;

    public bool HasGmcComplaint => GmcComplaintReceivedOn is not null;

    /// <summary>
    /// The latest calendar date anywhere at <paramref name="at"/> (UTC+14). A date after it is in everyone's
    /// future; judging by the UTC date instead would refuse an Australian MDO's "today" every morning.
    /// </summary>
    /// <summary>No incident is recorded as happening before this date (nor is any case dated earlier).</summary>
    public static readonly DateOnly EarliestIncidentDate = new(1900, 1, 1);

    public static DateOnly LatestToday(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime.AddHours(14));

    public static ReportReceived Report(
        Guid caseId, Guid memberId, Specialty specialty, IReadOnlyList<Channel> channels, Concern concern,
        DateOnly occurredOn, string summary, string? patientReference, DateTimeOffset at) =>
        new(caseId, memberId, specialty, channels.Distinct().ToArray(), concern, occurredOn, summary, patientReference, at);

    public static CaseImported Import(
        Guid caseId, string caseReference, Specialty specialty, IReadOnlyList<Channel> channels, Concern concern,
        DateOnly occurredOn, string summary, Guid by, DateTimeOffset at) =>
        new(caseId, caseReference, specialty, channels.Distinct().ToArray(), concern, occurredOn, summary, by, at);

    public Decision<CaseAssigned> Assign(Guid adviserId, Guid by, DateTimeOffset at)
    {
        if (Status == CaseStatus.Closed) return ClosedRejection("assigned");
        if (AssignedTo == adviserId) return new Rejection("The case is already assigned to that adviser.");
        return new CaseAssigned(Id, adviserId, by, at);
    }

    public Decision<AdviceGiven> GiveAdvice(string advice, IReadOnlyList<AdviceAction> actions, Guid by, DateTimeOffset at)
    {
        if (Status == CaseStatus.Closed) return ClosedRejection("given advice");
        return new AdviceGiven(Id, advice, actions.Distinct().ToArray(), by, at);
    }

    /// <summary>
    /// Contacts are accepted on closed cases too: the "keep a log" advice outlives the case, and
    /// refusing a member's record of a new approach would lose exactly the evidence a reopening needs.
    /// </summary>
    public Decision<ContactLogged> LogContact(Channel channel, DateTimeOffset occurredAt, string note, Guid by, DateTimeOffset at)
    {
        if (occurredAt > at) return new Rejection("A contact cannot be logged before it happens.", "occurredAt");
        return new ContactLogged(Id, channel, occurredAt, note, by, at);
    }

    public Decision<GmcComplaintLinked> LinkGmcComplaint(string gmcReference, DateOnly receivedOn, string allegation, Guid by, DateTimeOffset at)
    {
        if (Status == CaseStatus.Closed) return ClosedRejection("linked to a GMC complaint");
        if (HasGmcComplaint) return new Rejection("A GMC complaint is already linked to this case.");
        if (receivedOn > LatestToday(at))
            return new Rejection("The complaint cannot be received in the future.", "receivedOn");
        return new GmcComplaintLinked(Id, gmcReference, receivedOn, allegation, by, at);
    }

    public Decision<AllegationWithdrawn> RecordWithdrawal(DateOnly withdrawnOn, string reason, Guid by, DateTimeOffset at)
    {
        if (Status == CaseStatus.Closed) return ClosedRejection("given a withdrawal");
        if (!HasGmcComplaint) return new Rejection("No GMC complaint is linked to this case, so there is no allegation to withdraw.");
        if (AllegationWithdrawnOn is not null) return new Rejection("The allegation has already been withdrawn.");
        if (withdrawnOn < GmcComplaintReceivedOn)
            return new Rejection($"The allegation cannot be withdrawn before the complaint was received ({GmcComplaintReceivedOn:yyyy-MM-dd}).", "withdrawnOn");
        if (withdrawnOn > LatestToday(at))
            return new Rejection("The withdrawal cannot be dated in the future.", "withdrawnOn");
        return new AllegationWithdrawn(Id, withdrawnOn, reason, by, at);
    }

    public Decision<CaseClosed> Close(string outcome, Guid by, DateTimeOffset at)
    {
        if (Status == CaseStatus.Closed) return new Rejection("The case is already closed.");
        return new CaseClosed(Id, outcome, by, at);
    }

    public Decision<CaseReopened> Reopen(string reason, Guid by, DateTimeOffset at)
    {
        if (Status == CaseStatus.Open) return new Rejection("The case is open, so it cannot be reopened.");
        return new CaseReopened(Id, reason, by, at);
    }

    static Rejection ClosedRejection(string what) =>
        new($"The case is closed, so it cannot be {what}; reopen it first.");

    /// <summary>Folds one event into the state. Unknown events leave the state as it is.</summary>
    public static Case? Evolve(Case? state, object @event) => (state, @event) switch
    {
        (null, ReportReceived e) => new Case(e.CaseId, e.MemberId, CaseStatus.Open, null, null, null),
        (null, CaseImported e) => new Case(e.CaseId, null, CaseStatus.Open, null, null, null),
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
