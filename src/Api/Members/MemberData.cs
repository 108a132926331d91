using Defence.Api.Auditing;
using Defence.Api.Errors;
using Defence.Api.Identity;
using Defence.Domain.Cases;
using Defence.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Defence.Api.Members;

/// <summary>One event of a case as the store holds it: its type, when it was stored, who appended it, and its data.</summary>
public sealed record ExportedEvent(string Type, long Version, DateTimeOffset Time, string? Actor, string? CorrelationId, object Data);

/// <summary>A case of the member: the view the API shows, and every event of its stream.</summary>
public sealed record ExportedCase(CaseView Case, IReadOnlyList<ExportedEvent> Events);

/// <summary>Everything this tenant holds about a member's cases, for a subject access request.</summary>
public sealed record MemberExport(Guid MemberId, DateTimeOffset ExportedAt, IReadOnlyList<ExportedCase> Cases);

/// <param name="Cases">Cases of the member whose personal details were erased.</param>
/// <param name="EventsMasked">Events whose free text was replaced in the store.</param>
public sealed record ErasureResult(int Cases, int EventsMasked);

/// <summary>A member's rights over their data (UK GDPR): access to it, and erasure of their personal details.</summary>
public static class MemberDataEndpoints
{
    /// <summary>Export every case of a member in this tenant, with every event and the case views (subject access request).</summary>
    /// <remarks>Answers a JSON attachment. A member with no case in this tenant is not found.</remarks>
    [WolverineGet("/api/members/{memberId}/export"), AllowRoles(Roles.TenantAdmin), Tags("Members")]
    [ProducesResponseType<MemberExport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Export(Guid memberId, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var ct = http.RequestAborted;
        var views = await session.Query<CaseView>().Where(c => c.MemberId == memberId).OrderBy(c => c.ReportedAt).ToListAsync(ct);
        if (views.Count == 0) return Problems.MemberNotFound();

        var ids = views.Select(v => v.Id).ToArray();
        var events = await session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).OrderBy(e => e.Sequence).ToListAsync(ct);
        var byCase = events.ToLookup(e => e.StreamId);
        var export = new MemberExport(memberId, clock.GetUtcNow(), views.Select(v => new ExportedCase(v,
            byCase[v.Id].Select(e => new ExportedEvent(e.Data.GetType().Name, e.Version, e.Timestamp, e.UserName, e.CorrelationId, e.Data)).ToList())).ToList());

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"member-{memberId}.json\"";
        return Results.Ok(export);
    }

    /// <summary>Erase a member's personal details from every case of theirs in this tenant.</summary>
    /// <remarks>
    /// The free text of every event and view of those cases (summary, patient reference, advice, notes, allegation,
    /// reasons, outcome) is replaced in the database rows themselves; specialty, channels, concern, dates and status stay,
    /// so the trend figures do not change. Each case records <c>PersonalDetailsErased</c> with who, when and the reason.
    /// A member with no case in this tenant is not found.
    /// </remarks>
    [WolverinePost("/api/members/{memberId}/erasure"), AllowRoles(Roles.TenantAdmin), Tags("Members")]
    [ProducesResponseType<ErasureResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Erase(
        Guid memberId, ErasePersonalDetails request, IDocumentStore store, TimeProvider clock, ILogger<ErasureResult> logger, HttpContext http)
    {
        var ct = http.RequestAborted;
        var actor = Actor.Of(http);
        List<Guid> ids;
        await using (var query = store.QuerySession(actor.Tenant))
            ids = (await query.Query<CaseView>().Where(c => c.MemberId == memberId).Select(c => c.Id).ToListAsync(ct)).ToList();
        if (ids.Count == 0) return Problems.MemberNotFound();

        // First the record of the erasure on each case, which also rewrites each case view (its projection erases the text).
        await using (var write = await store.BeginWriteAsync(actor.Tenant, logger, ct))
        {
            await using var session = write.SessionFor(actor);
            var now = clock.GetUtcNow();
            foreach (var id in ids)
            {
                var stream = await write.RunAsync(() => session.Events.FetchForWriting<Case>(id, ct));
                var decision = stream.Aggregate!.ErasePersonalDetails(request, actor.UserId, now);
                if (decision.Rejection is { } rejection) return Problems.Rejected(rejection);
                stream.AppendOne(decision.Event!);
            }
            await write.SaveAsync(session, ct);
            await write.CommitAsync(ct);
        }

        // Then the events' own rows. Under conjoined tenancy the masking must name the tenant, or it masks nothing.
        await store.Advanced.ApplyEventDataMasking(masking =>
        {
            masking.ForTenant(actor.Tenant);
            foreach (var id in ids) masking.IncludeStream(id);
        }, ct);

        await using var read = store.QuerySession(actor.Tenant);
        var events = await read.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).ToListAsync(ct);
        return Results.Ok(new ErasureResult(ids.Count, events.Count(e => PersonalDetails.HeldBy(e.Data))));
    }
}
