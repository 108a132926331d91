using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;

namespace Defence.Domain.Tests;

/// <summary>Fixed ids and times, and case states built by folding real events.</summary>
static class CaseHistory
{
    public static readonly Guid CaseId = new("c0000000-0000-0000-0000-000000000001");
    public static readonly Guid MemberId = new("a0000000-0000-0000-0000-000000000001");
    public static readonly Guid AdviserId = new("a0000000-0000-0000-0000-000000000002");
    public static readonly Guid OtherAdviserId = new("a0000000-0000-0000-0000-000000000003");

    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = new(2026, 11, 24);
    public static readonly DateOnly ComplaintReceivedOn = new(2026, 10, 1);

    public static ReportReceived Reported() => Accepted(Case.Report(CaseId, MemberId, new ReportIncident(Code.Of(Specialty.GeneralPractice), CodesOf(Channel.Facebook, Channel.Letter), Code.Of(Concern.AmorousAdvances), new DateOnly(2026, 9, 1), "Repeated friend requests and letters", "JS 1984"), Now.AddDays(-60)));

    public static CaseAssigned Assigned(Guid adviserId) => new(CaseId, adviserId, AdviserId, Now.AddDays(-59));

    public static GmcComplaintLinked ComplaintLinked() =>
        new(CaseId, "GMC-123", ComplaintReceivedOn, "Alleged relationship", AdviserId, Now.AddDays(-50));

    public static AllegationWithdrawn Withdrawn() =>
        new(CaseId, ComplaintReceivedOn.AddDays(30), "Patient admitted fabrication", AdviserId, Now.AddDays(-20));

    public static CaseClosed Closed() => new(CaseId, "No further action", AdviserId, Now.AddDays(-10));

    public static CaseReopened Reopened() => new(CaseId, "Patient made contact again", AdviserId, Now.AddDays(-5));

    /// <summary>Vocabulary values as the codes a command carries.</summary>
    public static IReadOnlyList<string?> CodesOf<T>(params T[] values) where T : struct, Enum => values.Select(v => (string?)Code.Of(v)).ToArray();

    /// <summary>The state after a report followed by <paramref name="later"/>.</summary>
    public static Case Open(params object[] later) => Fold([Reported(), .. later]);

    public static Case ClosedCase(params object[] earlier) => Fold([Reported(), .. earlier, Closed()]);

    public static Case Fold(IEnumerable<object> events) =>
        events.Aggregate((Case?)null, Case.Evolve) ?? throw new InvalidOperationException("The history has no report.");

    public static TEvent Accepted<TEvent>(Decision<TEvent> decision) where TEvent : class
    {
        Assert.Null(decision.Rejection);
        return Assert.IsType<TEvent>(decision.Event);
    }

    public static Rejection Rejected<TEvent>(Decision<TEvent> decision) where TEvent : class
    {
        Assert.Null(decision.Event);
        var rejection = Assert.IsType<Rejection>(decision.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
        Assert.True(char.IsUpper(rejection.Reason[0]), rejection.Reason);
        Assert.EndsWith(".", rejection.Reason);
        return rejection;
    }

    /// <summary>Rejected because the case's state forbids it, not because a field is wrong.</summary>
    public static Rejection RejectedByState<TEvent>(Decision<TEvent> decision) where TEvent : class
    {
        var rejection = Rejected(decision);
        Assert.Null(rejection.Field);
        return rejection;
    }
}
