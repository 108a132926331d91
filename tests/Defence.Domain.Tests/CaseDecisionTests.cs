using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using static Defence.Domain.Tests.CaseHistory;

namespace Defence.Domain.Tests;

public class CaseDecisionTests
{
    // Assigning

    [Fact]
    public void assigning_an_open_case_records_the_adviser_the_actor_and_the_time()
    {
        var e = Accepted(Open().Assign(new AssignCase(AdviserId), MemberId, Now));

        Assert.Equal(new CaseAssigned(CaseId, AdviserId, MemberId, Now), e);
    }

    [Fact]
    public void a_closed_case_cannot_be_assigned() =>
        RejectedByState(ClosedCase().Assign(new AssignCase(AdviserId), AdviserId, Now));

    [Fact]
    public void assigning_the_same_adviser_twice_is_rejected() =>
        Rejected(Open(Assigned(AdviserId)).Assign(new AssignCase(AdviserId), AdviserId, Now));

    [Fact]
    public void an_assigned_case_can_be_reassigned_to_another_adviser() =>
        Assert.Equal(OtherAdviserId, Accepted(Open(Assigned(AdviserId)).Assign(new AssignCase(OtherAdviserId), AdviserId, Now)).AdviserId);

    // Giving advice

    [Fact]
    public void advice_on_an_open_case_records_the_advice_and_its_distinct_actions_in_order()
    {
        var e = Accepted(Open().GiveAdvice(new GiveAdvice("Explain the boundary in writing.", CodesOf(AdviceAction.ExplainBoundaryInWriting, AdviceAction.KeepContactLog, AdviceAction.ExplainBoundaryInWriting)), AdviserId, Now));

        Assert.Equal(CaseId, e.CaseId);
        Assert.Equal("Explain the boundary in writing.", e.Advice);
        Assert.Equal([AdviceAction.ExplainBoundaryInWriting, AdviceAction.KeepContactLog], e.Actions);
        Assert.Equal(AdviserId, e.GivenBy);
        Assert.Equal(Now, e.GivenAt);
    }

    [Fact]
    public void advice_on_a_closed_case_is_rejected() =>
        RejectedByState(ClosedCase().GiveAdvice(new GiveAdvice("Too late.", CodesOf(AdviceAction.Other)), AdviserId, Now));

    // Logging contacts

    [Fact]
    public void a_contact_is_logged_with_its_channel_time_and_note()
    {
        var occurredAt = Now.AddHours(-3);

        var e = Accepted(Open().LogContact(new LogContact(Code.Of(Channel.Gift), occurredAt, "Flowers left at reception"), MemberId, Now));

        Assert.Equal(new ContactLogged(CaseId, Channel.Gift, occurredAt, "Flowers left at reception", MemberId, Now), e);
    }

    [Fact]
    public void a_contact_can_be_logged_on_a_closed_case() =>
        Accepted(ClosedCase().LogContact(new LogContact(Code.Of(Channel.Letter), Now.AddDays(-1), "Another letter"), MemberId, Now));

    [Fact]
    public void a_contact_occurring_exactly_now_is_accepted() =>
        Accepted(Open().LogContact(new LogContact(Code.Of(Channel.Phone), Now, "Call in progress"), MemberId, Now));

    [Fact]
    public void a_contact_occurring_after_now_is_rejected_on_the_occurred_at_field() =>
        Assert.Equal("occurredAt", Rejected(Open().LogContact(new LogContact(Code.Of(Channel.Phone), Now.AddMinutes(1), "Call"), MemberId, Now)).Field);

    // Linking a GMC complaint

    [Fact]
    public void linking_a_gmc_complaint_records_its_reference_date_and_allegation()
    {
        var e = Accepted(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC-123", ComplaintReceivedOn, "Alleged relationship"), AdviserId, Now));

        Assert.Equal(new GmcComplaintLinked(CaseId, "GMC-123", ComplaintReceivedOn, "Alleged relationship", AdviserId, Now), e);
    }

    [Fact]
    public void a_gmc_complaint_received_today_can_be_linked() =>
        Accepted(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC-123", Today, "Alleged relationship"), AdviserId, Now));

    [Fact]
    public void a_second_gmc_complaint_cannot_be_linked() =>
        RejectedByState(Open(ComplaintLinked()).LinkGmcComplaint(new LinkGmcComplaint("GMC-456", Today, "Another"), AdviserId, Now));

    [Fact]
    public void a_gmc_complaint_cannot_be_linked_to_a_closed_case() =>
        RejectedByState(ClosedCase().LinkGmcComplaint(new LinkGmcComplaint("GMC-123", ComplaintReceivedOn, "Alleged relationship"), AdviserId, Now));

    [Fact]
    public void a_gmc_complaint_received_in_the_future_is_rejected_on_the_received_on_field() =>
        Assert.Equal("receivedOn", Rejected(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC-123", Today.AddDays(2), "Alleged"), AdviserId, Now)).Field);

    [Fact]
    public void a_complaint_received_today_in_sydney_is_accepted_while_it_is_still_yesterday_in_utc()
    {
        var sydneyMorning = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(11)); // 2026-11-24 22:00 UTC

        Accepted(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC-123", new DateOnly(2026, 11, 25), "Alleged"), AdviserId, sydneyMorning));
    }

    [Fact]
    public void a_complaint_dated_after_the_latest_time_zones_today_is_rejected()
    {
        var utcMidday = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero); // already 25th at UTC+14, not yet 26th

        Assert.Equal("receivedOn", Rejected(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC-123", new DateOnly(2026, 11, 26), "Alleged"), AdviserId, utcMidday)).Field);
    }

    // Recording a withdrawal

    [Fact]
    public void a_withdrawal_after_the_complaint_records_its_date_reason_actor_and_time()
    {
        var withdrawnOn = ComplaintReceivedOn.AddDays(40);

        var e = Accepted(Open(ComplaintLinked()).RecordWithdrawal(new RecordWithdrawal(withdrawnOn, "Patient admitted fabrication"), AdviserId, Now));

        Assert.Equal(new AllegationWithdrawn(CaseId, withdrawnOn, "Patient admitted fabrication", AdviserId, Now), e);
    }

    [Fact]
    public void a_withdrawal_on_the_day_the_complaint_was_received_is_accepted() =>
        Accepted(Open(ComplaintLinked()).RecordWithdrawal(new RecordWithdrawal(ComplaintReceivedOn, "Withdrawn at once"), AdviserId, Now));

    [Fact]
    public void a_withdrawal_without_a_linked_complaint_is_rejected_because_of_the_case_state() =>
        RejectedByState(Open().RecordWithdrawal(new RecordWithdrawal(Today, "Nothing to withdraw"), AdviserId, Now));

    [Fact]
    public void an_allegation_cannot_be_withdrawn_twice() =>
        RejectedByState(Open(ComplaintLinked(), Withdrawn()).RecordWithdrawal(new RecordWithdrawal(Today, "Again"), AdviserId, Now));

    [Fact]
    public void a_withdrawal_before_the_complaint_was_received_is_rejected_on_the_withdrawn_on_field_naming_that_date()
    {
        var rejection = Rejected(Open(ComplaintLinked()).RecordWithdrawal(new RecordWithdrawal(ComplaintReceivedOn.AddDays(-1), "Early"), AdviserId, Now));

        Assert.Equal("withdrawnOn", rejection.Field);
        Assert.Contains("2026-10-01", rejection.Reason);
    }

    [Fact]
    public void a_withdrawal_dated_in_the_future_is_rejected_on_the_withdrawn_on_field() =>
        Assert.Equal("withdrawnOn", Rejected(Open(ComplaintLinked()).RecordWithdrawal(new RecordWithdrawal(Today.AddDays(2), "Soon"), AdviserId, Now)).Field);

    [Fact]
    public void a_withdrawal_on_a_closed_case_is_rejected() =>
        RejectedByState(ClosedCase(ComplaintLinked()).RecordWithdrawal(new RecordWithdrawal(Today, "After closing"), AdviserId, Now));

    // Closing and reopening

    [Fact]
    public void closing_an_open_case_records_the_outcome() =>
        Assert.Equal(
            new CaseClosed(CaseId, "Allegation withdrawn", AdviserId, Now),
            Accepted(Open().Close(new CloseCase("Allegation withdrawn"), AdviserId, Now)));

    [Fact]
    public void a_closed_case_cannot_be_closed_again() =>
        RejectedByState(ClosedCase().Close(new CloseCase("Again"), AdviserId, Now));

    [Fact]
    public void an_open_case_cannot_be_reopened() =>
        RejectedByState(Open().Reopen(new ReopenCase("Not closed"), AdviserId, Now));

    [Fact]
    public void reopening_a_closed_case_records_the_reason() =>
        Assert.Equal(
            new CaseReopened(CaseId, "Patient made contact again", AdviserId, Now),
            Accepted(ClosedCase().Reopen(new ReopenCase("Patient made contact again"), AdviserId, Now)));

    [Fact]
    public void a_reopened_case_is_open_again()
    {
        var reopened = Case.Evolve(ClosedCase(), Accepted(ClosedCase().Reopen(new ReopenCase("New contact"), AdviserId, Now)))!;

        Assert.Equal(CaseStatus.Open, reopened.Status);
        Accepted(reopened.GiveAdvice(new GiveAdvice("Keep logging contacts.", CodesOf(AdviceAction.KeepContactLog)), AdviserId, Now));
    }
}

public class ErasureTests
{
    [Fact]
    public void erasing_a_closed_case_records_who_when_and_why_and_leaves_its_state() =>
        Assert.Equal(
            new PersonalDetailsErased(CaseId, "Subject's request", AdviserId, Now),
            Accepted(ClosedCase().ErasePersonalDetails(new ErasePersonalDetails("Subject's request"), AdviserId, Now)));

    [Fact]
    public void an_erasure_needs_a_reason() =>
        Assert.Equal(["reason"], Open().ErasePersonalDetails(new ErasePersonalDetails(" "), AdviserId, Now).Rejection!.Errors!.Fields);

    [Fact]
    public void erasing_replaces_every_free_text_and_keeps_codes_dates_and_ids()
    {
        var reported = Reported();

        Assert.Equal(reported with { Summary = PersonalDetails.Erased, PatientReference = null }, PersonalDetails.Erase(reported));
        Assert.Equal(PersonalDetails.Erased, PersonalDetails.Erase(ComplaintLinked()).Allegation);
        Assert.Equal("GMC-123", PersonalDetails.Erase(ComplaintLinked()).GmcReference);
        Assert.Equal(PersonalDetails.Erased, PersonalDetails.Erase(Withdrawn()).Reason);
        Assert.Equal(PersonalDetails.Erased, PersonalDetails.Erase(Closed()).Outcome);
        Assert.Equal(PersonalDetails.Erased, PersonalDetails.Erase(Reopened()).Reason);
        Assert.True(PersonalDetails.HeldBy(Reported()));
        Assert.False(PersonalDetails.HeldBy(Assigned(AdviserId)));
    }
}
