using Defence.Domain.Vocabulary;

namespace Defence.Domain.Cases;

/// <summary>
/// What every case event carries, so the audit trail can say who did what and when
/// without knowing each event's own field names.
/// </summary>
public interface ICaseEvent
{
    Guid CaseId { get; }
    /// <summary>The acting user's id (the token's <c>oid</c>).</summary>
    Guid By { get; }
    DateTimeOffset At { get; }
}

/// <summary>A member reported an incident: the first event of every case.</summary>
public sealed record ReportReceived(
    Guid CaseId,
    Guid MemberId,
    Specialty Specialty,
    IReadOnlyList<Channel> Channels,
    Concern Concern,
    DateOnly OccurredOn,
    string Summary,
    string? PatientReference,
    DateTimeOffset ReceivedAt) : ICaseEvent
{
    Guid ICaseEvent.By => MemberId;
    DateTimeOffset ICaseEvent.At => ReceivedAt;
}

/// <summary>
/// A case from the MDO's own records, loaded by a tenant admin: the first event of an imported case.
/// It has no member (historical cases predate the member's account); <see cref="CaseReference"/> is
/// the MDO's own reference, unique within the tenant.
/// </summary>
public sealed record CaseImported(
    Guid CaseId,
    string CaseReference,
    Specialty Specialty,
    IReadOnlyList<Channel> Channels,
    Concern Concern,
    DateOnly OccurredOn,
    string Summary,
    Guid ImportedBy,
    DateTimeOffset ImportedAt) : ICaseEvent
{
    Guid ICaseEvent.By => ImportedBy;
    DateTimeOffset ICaseEvent.At => ImportedAt;
}

public sealed record CaseAssigned(Guid CaseId, Guid AdviserId, Guid AssignedBy, DateTimeOffset AssignedAt) : ICaseEvent
{
    Guid ICaseEvent.By => AssignedBy;
    DateTimeOffset ICaseEvent.At => AssignedAt;
}

public sealed record AdviceGiven(
    Guid CaseId, string Advice, IReadOnlyList<AdviceAction> Actions, Guid GivenBy, DateTimeOffset GivenAt) : ICaseEvent
{
    Guid ICaseEvent.By => GivenBy;
    DateTimeOffset ICaseEvent.At => GivenAt;
}

/// <summary>A further unwanted contact from the patient, logged by the member or an adviser.</summary>
public sealed record ContactLogged(
    Guid CaseId, Channel Channel, DateTimeOffset OccurredAt, string Note, Guid LoggedBy, DateTimeOffset LoggedAt) : ICaseEvent
{
    Guid ICaseEvent.By => LoggedBy;
    DateTimeOffset ICaseEvent.At => LoggedAt;
}

public sealed record GmcComplaintLinked(
    Guid CaseId, string GmcReference, DateOnly ReceivedOn, string Allegation, Guid LinkedBy, DateTimeOffset LinkedAt) : ICaseEvent
{
    Guid ICaseEvent.By => LinkedBy;
    DateTimeOffset ICaseEvent.At => LinkedAt;
}

public sealed record AllegationWithdrawn(
    Guid CaseId, DateOnly WithdrawnOn, string Reason, Guid RecordedBy, DateTimeOffset RecordedAt) : ICaseEvent
{
    Guid ICaseEvent.By => RecordedBy;
    DateTimeOffset ICaseEvent.At => RecordedAt;
}

public sealed record CaseClosed(Guid CaseId, string Outcome, Guid ClosedBy, DateTimeOffset ClosedAt) : ICaseEvent
{
    Guid ICaseEvent.By => ClosedBy;
    DateTimeOffset ICaseEvent.At => ClosedAt;
}

public sealed record CaseReopened(Guid CaseId, string Reason, Guid ReopenedBy, DateTimeOffset ReopenedAt) : ICaseEvent
{
    Guid ICaseEvent.By => ReopenedBy;
    DateTimeOffset ICaseEvent.At => ReopenedAt;
}

/// <summary>
/// A tenant admin erased the member's personal details from the case: the free text of its events and view is gone
/// (<see cref="PersonalDetails"/>), while what the statistics need stays. <see cref="Reason"/> is the admin's record of why.
/// </summary>
public sealed record PersonalDetailsErased(Guid CaseId, string Reason, Guid ErasedBy, DateTimeOffset ErasedAt) : ICaseEvent
{
    Guid ICaseEvent.By => ErasedBy;
    DateTimeOffset ICaseEvent.At => ErasedAt;
}

/// <summary>
/// The one definition of a case's personal details: the free text people wrote (summary, patient reference, advice,
/// notes, allegation, reasons, outcome). Erasure replaces each with <see cref="Erased"/>; codes, dates, ids and the
/// GMC's own reference stay, so the case's history and the trend figures are unchanged.
/// </summary>
public static class PersonalDetails
{
    public const string Erased = "[erased]";

    public static ReportReceived Erase(ReportReceived e) => e with { Summary = Erased, PatientReference = null };
    public static AdviceGiven Erase(AdviceGiven e) => e with { Advice = Erased };
    public static ContactLogged Erase(ContactLogged e) => e with { Note = Erased };
    public static GmcComplaintLinked Erase(GmcComplaintLinked e) => e with { Allegation = Erased };
    public static AllegationWithdrawn Erase(AllegationWithdrawn e) => e with { Reason = Erased };
    public static CaseClosed Erase(CaseClosed e) => e with { Outcome = Erased };
    public static CaseReopened Erase(CaseReopened e) => e with { Reason = Erased };

    /// <summary>Whether an event holds personal details that erasure replaces.</summary>
    public static bool HeldBy(object @event) =>
        @event is ReportReceived or AdviceGiven or ContactLogged or GmcComplaintLinked or AllegationWithdrawn or CaseClosed or CaseReopened;
}
