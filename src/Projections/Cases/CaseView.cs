using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;

namespace Defence.Projections.Cases;

/// <summary>
/// The case as advisers and the reporting member read it (docs/http-api.md, "The case view"), with its
/// whole timeline. Vocabulary values are held as their codes, the shape clients see and filter on.
/// </summary>
public sealed class CaseView
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Status { get; set; } = Code.Of(CaseStatus.Open);
    public string Specialty { get; set; } = "";
    public string[] Channels { get; set; } = [];
    public string Concern { get; set; } = "";
    public DateOnly OccurredOn { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    /// <summary>The reporting member; null for a case imported from the MDO's records.</summary>
    public Guid? MemberId { get; set; }
    /// <summary>The MDO's own reference of an imported case.</summary>
    public string? CaseReference { get; set; }
    public string Summary { get; set; } = "";
    public string? PatientReference { get; set; }
    public Guid? AssignedTo { get; set; }
    public List<AdviceView> Advice { get; set; } = [];
    public List<ContactView> Contacts { get; set; } = [];
    public GmcComplaintView? GmcComplaint { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<TimelineEntry> Timeline { get; set; } = [];

    internal static CaseView Start(ReportReceived e) => new()
    {
        Id = e.CaseId,
        Specialty = Code.Of(e.Specialty),
        Channels = e.Channels.Select(Code.Of).ToArray(),
        Concern = Code.Of(e.Concern),
        OccurredOn = e.OccurredOn,
        ReportedAt = e.ReceivedAt,
        MemberId = e.MemberId,
        Summary = e.Summary,
        PatientReference = e.PatientReference,
    };

    internal static CaseView Start(CaseImported e) => new()
    {
        Id = e.CaseId,
        CaseReference = e.CaseReference,
        Specialty = Code.Of(e.Specialty),
        Channels = e.Channels.Select(Code.Of).ToArray(),
        Concern = Code.Of(e.Concern),
        OccurredOn = e.OccurredOn,
        ReportedAt = e.ImportedAt,
        Summary = e.Summary,
    };

    internal void Record(ICaseEvent @event)
    {
        switch (@event)
        {
            case CaseAssigned e:
                AssignedTo = e.AdviserId;
                break;
            case AdviceGiven e:
                Advice.Add(new AdviceView(e.Advice, e.Actions.Select(Code.Of).ToArray(), e.GivenBy, e.GivenAt));
                break;
            case ContactLogged e:
                Contacts.Add(new ContactView(Code.Of(e.Channel), e.OccurredAt, e.Note, e.LoggedBy, e.LoggedAt));
                break;
            case GmcComplaintLinked e:
                GmcComplaint = new GmcComplaintView(e.GmcReference, e.ReceivedOn, e.Allegation, false, null, null);
                break;
            case AllegationWithdrawn e when GmcComplaint is not null:
                GmcComplaint = GmcComplaint with { Withdrawn = true, WithdrawnOn = e.WithdrawnOn, WithdrawalReason = e.Reason };
                break;
            case CaseClosed e:
                Status = Code.Of(CaseStatus.Closed);
                Outcome = e.Outcome;
                ClosedAt = e.ClosedAt;
                break;
            case CaseReopened:
                Status = Code.Of(CaseStatus.Open);
                Outcome = null;
                ClosedAt = null;
                break;
            case PersonalDetailsErased:
                Summary = PersonalDetails.Erased;
                PatientReference = null;
                Advice = Advice.Select(a => a with { Advice = PersonalDetails.Erased }).ToList();
                Contacts = Contacts.Select(c => c with { Note = PersonalDetails.Erased }).ToList();
                if (GmcComplaint is not null)
                    GmcComplaint = GmcComplaint with
                    {
                        Allegation = PersonalDetails.Erased,
                        WithdrawalReason = GmcComplaint.WithdrawalReason is null ? null : PersonalDetails.Erased,
                    };
                if (Outcome is not null) Outcome = PersonalDetails.Erased;
                break;
        }
    }
}

public sealed record AdviceView(string Advice, string[] Actions, Guid GivenBy, DateTimeOffset GivenAt);

public sealed record ContactView(string Channel, DateTimeOffset OccurredAt, string Note, Guid LoggedBy, DateTimeOffset LoggedAt);

public sealed record GmcComplaintView(
    string GmcReference, DateOnly ReceivedOn, string Allegation, bool Withdrawn, DateOnly? WithdrawnOn, string? WithdrawalReason);

/// <param name="Type">The event's name, e.g. <c>AdviceGiven</c>.</param>
/// <param name="At">When it happened, as the event records it.</param>
/// <param name="By">Who did it (the acting user's <c>oid</c>).</param>
/// <param name="Version">The case version this event produced.</param>
/// <param name="CorrelationId">The correlation id of the request that appended the event (its <c>X-Correlation-Id</c> response header).</param>
public sealed record TimelineEntry(string Type, DateTimeOffset At, Guid By, long Version, string? CorrelationId);
