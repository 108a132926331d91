using Defence.Domain.Cases;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Defence.Projections.Cases;

/// <summary>Builds <see cref="CaseView"/> inline, so a read after a write sees the write.</summary>
public sealed partial class CaseViewProjection : SingleStreamProjection<CaseView, Guid>
{
    public override CaseView? Evolve(CaseView? view, Guid id, IEvent e)
    {
        if (e.Data is not ICaseEvent caseEvent) return view;

        view = caseEvent switch
        {
            ReportReceived received when view is null => CaseView.Start(received),
            CaseImported imported when view is null => CaseView.Start(imported),
            _ => view,
        };
        if (view is null) return null;

        view.Record(caseEvent);
        view.Version = e.Version;
        view.Timeline.Add(new TimelineEntry(caseEvent.GetType().Name, caseEvent.At, caseEvent.By, e.Version, e.CorrelationId));
        return view;
    }
}

/// <summary>Folds a stream into the write-side <see cref="Case"/> with the domain's own evolve function.</summary>
public sealed partial class CaseStateProjection : SingleStreamProjection<Case, Guid>
{
    public override Case? Evolve(Case? state, Guid id, IEvent e) => Case.Evolve(state, e.Data);
}
