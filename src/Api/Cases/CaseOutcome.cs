using Defence.Domain.Cases;
using Defence.Domain.Rules;

namespace Defence.Api.Cases;

/// <summary>
/// What came of a use case on a case, for the API and the pages alike: each renders it its own way (a status
/// and a body, or a page that says what happened), but neither decides it.
/// </summary>
public abstract record CaseOutcome
{
    CaseOutcome() { }

    /// <summary>The case is at <paramref name="Version"/> after the command; <paramref name="Created"/> for a new case, <paramref name="Replayed"/> when an idempotent retry found it.</summary>
    public sealed record Recorded(Guid CaseId, long Version, bool Created = false, bool Replayed = false) : CaseOutcome;

    /// <summary>No such case for this user: it does not exist, or is another tenant's or another member's.</summary>
    public sealed record NotFound : CaseOutcome;

    /// <summary>The case is no longer at the version the caller saw; nothing was written.</summary>
    public sealed record Stale(long? CurrentVersion) : CaseOutcome;

    /// <summary>The domain refused: bad fields (<see cref="Rejection.Errors"/>) or the case's state.</summary>
    public sealed record Refused(Rejection Rejection) : CaseOutcome;

    /// <summary>Refused for a reason outside the domain (an idempotency key reused, a race to retry).</summary>
    public sealed record Conflict(int Status, string Title, string Detail) : CaseOutcome;

    public static CaseOutcome Invalid(string field, string message) => new Refused(Rejection.OnField(field, message));

    public static CaseOutcome Invalid(FieldErrors errors) => new Refused(errors);

    /// <summary>A request body that is missing or JSON <c>null</c>.</summary>
    public static CaseOutcome NoBody { get; } = Invalid("body", "The body must be a JSON object.");
}

/// <summary>The answer to every case command: the case and the version the command produced.</summary>
public sealed record CaseCommandResult(Guid CaseId, long Version);
