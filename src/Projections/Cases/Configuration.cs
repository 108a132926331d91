using Defence.Domain.Cases;
using JasperFx.Events.Projections;
using Marten;

namespace Defence.Projections.Cases;

public static class Configuration
{
    /// <summary>Registers the case projections and the indexes the case list filters on.</summary>
    public static StoreOptions ConfigureCases(this StoreOptions options)
    {
        // Cases are short streams: the write side folds them live on each command rather than
        // writing a second snapshot document per event.
        options.Projections.Add(new CaseStateProjection(), ProjectionLifecycle.Live);
        options.Projections.Add(new CaseViewProjection(), ProjectionLifecycle.Inline);

        // What an erasure rewrites in the events' own rows (Marten's masking matches each concrete event type).
        options.Events.AddMaskingRuleForProtectedInformation<ReportReceived>(PersonalDetails.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<AdviceGiven>(PersonalDetails.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<ContactLogged>(PersonalDetails.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<GmcComplaintLinked>(PersonalDetails.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<AllegationWithdrawn>(PersonalDetails.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<CaseClosed>(PersonalDetails.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<CaseReopened>(PersonalDetails.Erase);

        options.Schema.For<CaseView>()
            .Duplicate(c => c.MemberId)
            .Duplicate(c => c.AssignedTo)
            .Duplicate(c => c.Status)
            .Duplicate(c => c.ReportedAt);
        return options;
    }
}
