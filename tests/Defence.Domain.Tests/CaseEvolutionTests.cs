using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using static Defence.Domain.Tests.CaseHistory;

namespace Defence.Domain.Tests;

public class CaseEvolutionTests
{
    [Fact]
    public void a_report_starts_an_open_unassigned_case_for_the_member() =>
        Assert.Equal(new Case(CaseId, MemberId, new DateOnly(2026, 9, 1), CaseStatus.Open, null, null, null), Case.Evolve(null, Reported()));

    [Fact]
    public void a_report_keeps_each_channel_once_in_the_order_first_given()
    {
        var report = Accepted(Case.Report(CaseId, MemberId, new ReportIncident(Code.Of(Specialty.Psychiatry), CodesOf(Channel.Facebook, Channel.Facebook, Channel.TextMessage, Channel.Facebook), Code.Of(Concern.Harassment), new DateOnly(2026, 11, 1), "Messages", null), Now));

        Assert.Equal([Channel.Facebook, Channel.TextMessage], report.Channels);
    }

    [Fact]
    public void a_report_carries_what_the_member_reported()
    {
        var report = Accepted(Case.Report(CaseId, MemberId, new ReportIncident(Code.Of(Specialty.Psychiatry), CodesOf(Channel.Email), Code.Of(Concern.Harassment), new DateOnly(2026, 11, 1), "Messages", "AB 1970"), Now));

        Assert.Equal(
            new ReportReceived(CaseId, MemberId, Specialty.Psychiatry, report.Channels, Concern.Harassment,
                new DateOnly(2026, 11, 1), "Messages", "AB 1970", Now),
            report);
    }

    [Fact]
    public void the_state_remembers_the_assignee_the_complaint_and_the_withdrawal() =>
        Assert.Equal(
            new Case(CaseId, MemberId, new DateOnly(2026, 9, 1), CaseStatus.Closed, AdviserId, ComplaintReceivedOn, ComplaintReceivedOn.AddDays(30)),
            ClosedCase(Assigned(AdviserId), ComplaintLinked(), Withdrawn()));

    [Fact]
    public void a_second_report_on_a_stream_does_not_reset_the_case()
    {
        var state = Open(Assigned(AdviserId), ComplaintLinked());

        Assert.Same(state, Case.Evolve(state, Reported()));
    }

    [Fact]
    public void an_unknown_object_leaves_the_state_unchanged()
    {
        var state = Open(Assigned(AdviserId));

        Assert.Equal(state, Case.Evolve(state, "not an event"));
    }

    [Fact]
    public void events_before_a_report_yield_no_state() =>
        Assert.Null(Case.Evolve(null, Closed()));

    public static TheoryData<ICaseEvent, Guid, DateTimeOffset> EveryEvent()
    {
        Guid Actor(int n) => new($"e0000000-0000-0000-0000-00000000000{n}");
        DateTimeOffset At(int n) => Now.AddMinutes(n);

        return new()
        {
            { Accepted(Case.Report(CaseId, Actor(1), new ReportIncident(Code.Of(Specialty.Other), CodesOf(Channel.Other), Code.Of(Concern.Other), Today, "s", null), At(1))), Actor(1), At(1) },
            { new CaseAssigned(CaseId, AdviserId, Actor(2), At(2)), Actor(2), At(2) },
            { new AdviceGiven(CaseId, "a", [AdviceAction.Other], Actor(3), At(3)), Actor(3), At(3) },
            { new ContactLogged(CaseId, Channel.Phone, Now, "n", Actor(4), At(4)), Actor(4), At(4) },
            { new GmcComplaintLinked(CaseId, "GMC-1", Today, "x", Actor(5), At(5)), Actor(5), At(5) },
            { new AllegationWithdrawn(CaseId, Today, "r", Actor(6), At(6)), Actor(6), At(6) },
            { new CaseClosed(CaseId, "o", Actor(7), At(7)), Actor(7), At(7) },
            { new CaseReopened(CaseId, "r", Actor(8), At(8)), Actor(8), At(8) },
            { Accepted(CaseImport.Decide(new ImportCase("REF-1", Today, Code.Of(Specialty.Other), CodesOf(Channel.Letter), Code.Of(Concern.Other), "s"), _ => CaseId, Actor(9), At(9))).Imported, Actor(9), At(9) },
            { new PersonalDetailsErased(CaseId, "r", AdviserId, At(10)), AdviserId, At(10) },
        };
    }

    [Theory]
    [MemberData(nameof(EveryEvent))]
    public void every_case_event_says_who_acted_and_when(ICaseEvent e, Guid by, DateTimeOffset at)
    {
        Assert.Equal(CaseId, e.CaseId);
        Assert.Equal(by, e.By);
        Assert.Equal(at, e.At);
    }

    [Fact]
    public void an_imported_case_starts_open_without_a_member_and_a_later_import_event_changes_nothing()
    {
        var imported = Accepted(CaseImport.Decide(new ImportCase("REF-1", Today, Code.Of(Specialty.Surgery), CodesOf(Channel.Letter, Channel.Letter), Code.Of(Concern.Complaint), "s"), _ => CaseId, AdviserId, Now)).Imported;

        var state = Case.Evolve(null, imported);

        Assert.Equal(new Case(CaseId, null, Today, CaseStatus.Open, null, null, null), state);
        Assert.Equal([Channel.Letter], imported.Channels);
        Assert.Same(state, Case.Evolve(state, imported));
    }

    [Fact]
    public void every_case_event_type_is_checked_for_its_actor_and_time()
    {
        var checkedTypes = EveryEvent().Select(row => row[0].GetType()).ToHashSet();
        var eventTypes = typeof(ICaseEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICaseEvent).IsAssignableFrom(t));

        Assert.Subset(checkedTypes, eventTypes.ToHashSet());
    }
}
