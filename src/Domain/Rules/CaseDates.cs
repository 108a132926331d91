namespace Defence.Domain.Rules;

/// <summary>The dates a case can carry: none before <see cref="Earliest"/>, none in everyone's future.</summary>
public static class CaseDates
{
    /// <summary>No incident, complaint, withdrawal or contact is dated before this.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    public static readonly DateTimeOffset EarliestTime = new(Earliest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public const string NotADateMessage = "Must be a date as YYYY-MM-DD.";
    public const string FutureMessage = "Cannot be in the future.";
    public static readonly string TooEarlyMessage = $"Cannot be before {Earliest:yyyy-MM-dd}.";

    /// <summary>
    /// The latest calendar date anywhere at <paramref name="at"/> (UTC+14). A date after it is in everyone's
    /// future; judging by the UTC date instead would refuse an Australian MDO's "today" every morning.
    /// </summary>
    public static DateOnly LatestToday(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime.AddHours(14));

    /// <summary>Why <paramref name="date"/> cannot be a case's date at <paramref name="now"/>, or null when it can.</summary>
    public static string? ProblemWith(DateOnly date, DateTimeOffset now) =>
        date < Earliest ? TooEarlyMessage : date > LatestToday(now) ? FutureMessage : null;
}
