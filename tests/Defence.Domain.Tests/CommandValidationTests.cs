using Defence.Domain.Cases;
using Defence.Domain.Rules;
using Defence.Domain.Vocabulary;
using static Defence.Domain.Tests.CaseHistory;

namespace Defence.Domain.Tests;

/// <summary>Every field of a command is judged by the domain's rules before the case's state is.</summary>
public class CommandValidationTests
{
    [Fact]
    public void a_report_names_every_bad_field_at_once()
    {
        var rejection = Rejected(Case.Report(CaseId, MemberId, new ReportIncident(null, [], "nope", new DateOnly(2999, 1, 1), "\u0000", "John 1984"), Now));

        Assert.Equal(["specialty", "channels", "concern", "occurredOn", "summary", "patientReference"], rejection.Errors!.Fields);
    }

    [Fact]
    public void blank_advice_is_a_bad_field_even_on_a_closed_case() =>
        Assert.Equal("advice", Rejected(ClosedCase().GiveAdvice(new GiveAdvice(" ", []), AdviserId, Now)).Field);

    [Fact]
    public void a_case_cannot_be_assigned_to_the_all_zero_id() =>
        Assert.Equal("adviserId", Rejected(Open().Assign(new AssignCase(Guid.Empty), AdviserId, Now)).Field);

    [Fact]
    public void a_contact_before_1900_is_refused_on_the_occurred_at_field() =>
        Assert.Equal("occurredAt", Rejected(Open().LogContact(new LogContact("phone", DateTimeOffset.MinValue, "Call"), MemberId, Now)).Field);

    [Fact]
    public void a_complaint_received_before_the_incident_is_refused_on_the_received_on_field() =>
        Assert.Equal("receivedOn", Rejected(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC-1", new DateOnly(1, 1, 1), "Alleged"), AdviserId, Now)).Field);

    [Fact]
    public void a_gmc_reference_is_one_line() =>
        Assert.Equal("gmcReference", Rejected(Open().LinkGmcComplaint(new LinkGmcComplaint("GMC\n1", ComplaintReceivedOn, "Alleged"), AdviserId, Now)).Field);

    [Fact]
    public void text_fields_are_stored_cleaned()
    {
        var e = Accepted(Open().Close(new CloseCase("  Withdrawn.\r\nNo further action.  "), AdviserId, Now));

        Assert.Equal("Withdrawn.\nNo further action.", e.Outcome);
    }
}

public class CaseImportTests
{
    static ImportCase Row(string reference = "REF-1") =>
        new(reference, new DateOnly(2010, 3, 1), "general-practice", ["facebook", "letter"], "amorous-advances", "Friend requests.");

    [Fact]
    public void a_row_with_its_history_replays_complaint_withdrawal_and_closure_dated_as_they_happened()
    {
        var row = Row() with
        {
            GmcReference = "GMC-1", GmcReceivedOn = new DateOnly(2010, 6, 1), AllegationWithdrawnOn = new DateOnly(2010, 9, 1),
            ClosedOn = new DateOnly(2010, 10, 1), Outcome = "Withdrawn as fabricated.",
        };

        var history = Accepted(CaseImport.Decide(row, _ => CaseId, AdviserId, Now));

        Assert.Equal(["CaseImported", "GmcComplaintLinked", "AllegationWithdrawn", "CaseClosed"], history.Events.Select(e => e.GetType().Name));
        Assert.Equal(new DateTimeOffset(2010, 10, 1, 0, 0, 0, TimeSpan.Zero), history.Events[^1].At);
    }

    [Fact]
    public void the_reference_is_cleaned_before_it_names_the_case()
    {
        string? named = null;

        var history = Accepted(CaseImport.Decide(Row("  Re\u0301f-1 "), reference => { named = reference; return CaseId; }, AdviserId, Now));

        Assert.Equal("R\u00E9f-1", named);
        Assert.Equal("R\u00E9f-1", history.Imported.CaseReference);
    }

    [Fact]
    public void a_withdrawal_before_its_complaint_is_refused_on_the_import_field_with_the_cases_own_message()
    {
        var row = Row() with { GmcReference = "GMC-1", GmcReceivedOn = new DateOnly(2010, 6, 1), AllegationWithdrawnOn = new DateOnly(2010, 5, 1) };

        var rejection = Rejected(CaseImport.Decide(row, _ => CaseId, AdviserId, Now));

        Assert.Equal("allegationWithdrawnOn", rejection.Field);
        Assert.Contains("before the complaint was received", rejection.Errors!.Listed["allegationWithdrawnOn"][0]);
    }

    [Fact]
    public void a_history_date_in_the_future_is_refused() =>
        Assert.Equal("closedOn", Rejected(CaseImport.Decide(Row() with { ClosedOn = new DateOnly(2999, 1, 1) }, _ => CaseId, AdviserId, Now)).Field);

    [Fact]
    public void an_import_gives_the_same_message_as_a_report_for_the_same_mistake()
    {
        var imported = Rejected(CaseImport.Decide(Row() with { Summary = new string('x', 4001) }, _ => CaseId, AdviserId, Now));
        var reported = Rejected(Case.Report(CaseId, MemberId, new ReportIncident("general-practice", ["facebook"], "amorous-advances", new DateOnly(2010, 3, 1), new string('x', 4001), null), Now));

        Assert.Equal(reported.Errors!.Listed["summary"], imported.Errors!.Listed["summary"]);
    }
}
