using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Marten.Storage;
using SessionOptions = Marten.Services.SessionOptions;
using Npgsql;

namespace Defence.Api.Auditing;

/// <summary>
/// The one way events are written on behalf of someone: every writer (case commands, grouped reports, imports,
/// and anything added later) opens its session here or stamps its streams here, so each event stores the acting
/// user's id (<c>user_name</c>), the correlation id and the tenant. <see cref="AuditTrailGuard"/> refuses to save
/// anything that came another way.
/// </summary>
public static class AuditedWrites
{
    public static StoreOptions StoreAuditMetadata(this StoreOptions options)
    {
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Listeners.Add(new AuditTrailGuard());
        return options;
    }

    /// <summary>A session in the actor's tenant whose events all record the actor; enlisted in <paramref name="transaction"/> when given.</summary>
    public static IDocumentSession WriteSession(this IDocumentStore store, Actor actor, NpgsqlTransaction? transaction = null)
    {
        var options = transaction is null ? new SessionOptions() : SessionOptions.ForTransaction(transaction);
        options.TenantId = actor.Tenant;
        var session = store.LightweightSession(options);
        session.CorrelationId = actor.CorrelationId;
        session.LastModifiedBy = actor.UserId.ToString();
        return session;
    }

    /// <summary>
    /// For a session of the actor's tenant shared with other actors (reports committed together): each event of
    /// the stream records this actor, whoever else's events the session carries.
    /// </summary>
    public static StreamAction StampedBy(this StreamAction stream, Actor actor)
    {
        foreach (var e in stream.Events)
        {
            e.CorrelationId = actor.CorrelationId;
            e.UserName = actor.UserId.ToString();
        }
        return stream;
    }
}

/// <summary>Refuses to save an event that does not say who wrote it, in which request, for which tenant.</summary>
public sealed class AuditTrailGuard : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
        {
            var tenant = stream.TenantId ?? session.TenantId;
            foreach (var e in stream.Events)
            {
                if (string.IsNullOrEmpty(e.UserName) || string.IsNullOrEmpty(e.CorrelationId) || tenant is null or StorageConstants.DefaultTenantId)
                    throw new InvalidOperationException(
                        $"An event of type {e.EventTypeName} was about to be saved without its actor, correlation id or tenant. " +
                        "Write events through AuditedWrites (a session from WriteSession, or a stream StampedBy its actor).");
            }
        }
        return Task.CompletedTask;
    }
}
