using System.ComponentModel.DataAnnotations;
using Defence.Domain.Vocabulary;

namespace Defence.Domain.Cases;

// What a person asks of a case, as they sent it: codes as text, anything possibly missing. The case's
// decisions validate every field by the domain's rules (Defence.Domain.Rules) and answer with events or a
// rejection. The HTTP API takes these as request bodies and the pages bind their forms to them, so both
// doors carry the same fields under the same names. [Required] marks what the decisions require, for the
// OpenAPI document; the decisions themselves say so when a field is missing.

/// <summary>A member's report of an incident.</summary>
/// <param name="Specialty">The member's specialty code, e.g. <c>general-practice</c>.</param>
/// <param name="Channels">How the patient made contact: at least one channel code.</param>
/// <param name="Concern">The concern code, e.g. <c>amorous-advances</c>.</param>
/// <param name="OccurredOn">The date of the incident (YYYY-MM-DD), not in the future.</param>
/// <param name="Summary">What happened, 1 to 4000 characters.</param>
/// <param name="PatientReference">Optional: the patient's initials and year of birth only, e.g. <c>JS 1984</c>.</param>
public sealed record ReportIncident(
    [property: Required] [property: VocabularyCode(typeof(Specialty))] string? Specialty,
    [property: Required] [property: VocabularyCode(typeof(Channel))] IReadOnlyList<string?>? Channels,
    [property: Required] [property: VocabularyCode(typeof(Concern))] string? Concern,
    [property: Required] DateOnly? OccurredOn,
    [property: Required] string? Summary,
    string? PatientReference);

/// <param name="AdviserId">The adviser (their user id) who takes the case.</param>
public sealed record AssignCase([property: Required] Guid? AdviserId);

/// <param name="Advice">The advice, 1 to 4000 characters.</param>
/// <param name="Actions">Advice action codes, e.g. <c>explain-boundary-in-writing</c>; may be empty.</param>
public sealed record GiveAdvice(
    [property: Required] string? Advice,
    [property: Required] [property: VocabularyCode(typeof(AdviceAction))] IReadOnlyList<string?>? Actions);

/// <param name="Channel">How the patient made contact: a channel code.</param>
/// <param name="OccurredAt">When the contact happened (date and time with offset).</param>
/// <param name="Note">What happened, 1 to 4000 characters.</param>
public sealed record LogContact(
    [property: Required] [property: VocabularyCode(typeof(Channel))] string? Channel,
    [property: Required] DateTimeOffset? OccurredAt,
    [property: Required] string? Note);

/// <param name="GmcReference">The GMC's reference for the complaint, one line of 1 to 100 characters.</param>
/// <param name="ReceivedOn">The date the complaint was received (YYYY-MM-DD).</param>
/// <param name="Allegation">What the complaint alleges, 1 to 4000 characters.</param>
public sealed record LinkGmcComplaint([property: Required] string? GmcReference, [property: Required] DateOnly? ReceivedOn, [property: Required] string? Allegation);

/// <param name="WithdrawnOn">The date the allegation was withdrawn (YYYY-MM-DD), not before the complaint was received.</param>
/// <param name="Reason">Why, e.g. the complainant admitted it was fabricated; 1 to 4000 characters.</param>
public sealed record RecordWithdrawal([property: Required] DateOnly? WithdrawnOn, [property: Required] string? Reason);

/// <param name="Outcome">How the case ended, 1 to 4000 characters.</param>
public sealed record CloseCase([property: Required] string? Outcome);

/// <param name="Reason">Why the case is reopened, 1 to 4000 characters.</param>
public sealed record ReopenCase([property: Required] string? Reason);

/// <summary>A tenant admin's erasure of a member's personal details from their cases (UK GDPR, right to erasure).</summary>
/// <param name="Reason">Why, e.g. the member's request and its reference; 1 to 4000 characters. Kept on each case as the record of the erasure.</param>
public sealed record ErasePersonalDetails([property: Required] string? Reason);

/// <summary>A case from an MDO's own records, with the history to replay (a row of a historical import).</summary>
/// <param name="CaseReference">The MDO's own reference, one line of 1 to 100 characters, unique within the tenant.</param>
public sealed record ImportCase(
    string? CaseReference,
    DateOnly? OccurredOn,
    string? Specialty,
    IReadOnlyList<string?>? Channels,
    string? Concern,
    string? Summary,
    string? GmcReference = null,
    DateOnly? GmcReceivedOn = null,
    DateOnly? AllegationWithdrawnOn = null,
    DateOnly? ClosedOn = null,
    string? Outcome = null);
