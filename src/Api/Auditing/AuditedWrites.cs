using JasperFx;
using JasperFx.Events;
using Defence.Api.Errors;
using Defence.Api.Hosting;
using Defence.Projections;
using Marten;
using Marten.Services;
using Npgsql;
using SessionOptions = Marten.Services.SessionOptions;

namespace Defence.Api.Auditing;

/// <summary>
/// The one way events are written on behalf of someone: every writer (case commands, grouped reports, imports,
/// and anything added later) writes in an <see cref="AuditedWrite"/>, so each event stores the acting user's id
/// (<c>user_name</c>), the correlation id and the tenant. <see cref="AuditTrailGuard"/> refuses to save anything
/// that came another way.
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

    /// <summary>
    /// Starts a write in the database holding <paramref name="tenant"/>'s data: one connection and one transaction,
    /// committed by <see cref="AuditedWrite.CommitAsync"/>.
    /// </summary>
    public static async Task<AuditedWrite> BeginWriteAsync(this IDocumentStore store, string tenant, ILogger logger, CancellationToken ct)
    {
        var connection = await (await store.DatabaseOf(tenant)).OpenConnectionAsync(ct);
        try
        {
            return new AuditedWrite(store, connection, await connection.BeginTransactionAsync(ct), logger);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
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

/// <summary>
/// One transaction on a connection of its own, holding the sessions that write in it. Nothing is written unless
/// <see cref="CommitAsync"/> succeeds. After any failure the connection's prepared statements are dropped before it
/// goes back to the pool: Npgsql can otherwise keep a statement it was automatically preparing when the statement
/// failed inside a transaction in a state that breaks the connection's next user (npgsql/npgsql#6391).
/// </summary>
public sealed class AuditedWrite : IAsyncDisposable
{
    readonly IDocumentStore _store;
    readonly NpgsqlConnection _connection;
    readonly NpgsqlTransaction _transaction;
    readonly ILogger _logger;
    bool _committed, _failed;

    internal AuditedWrite(IDocumentStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, ILogger logger) =>
        (_store, _connection, _transaction, _logger) = (store, connection, transaction, logger);

    public NpgsqlConnection Connection => _connection;
    public NpgsqlTransaction Transaction => _transaction;

    /// <summary>A session in the actor's tenant, in this write's transaction, whose events all record the actor.</summary>
    public IDocumentSession SessionFor(Actor actor)
    {
        var options = SessionOptions.ForTransaction(_transaction);
        options.TenantId = actor.Tenant;
        var session = _store.LightweightSession(options);
        session.CorrelationId = actor.CorrelationId;
        session.LastModifiedBy = actor.UserId.ToString();
        return session;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this write's connection; a failure marks the write failed and is rethrown. A
    /// failure on a connection the database dropped is rethrown as <see cref="DatabaseConnectionLostException"/>:
    /// Marten retries a statement that failed for a transient reason, and the retry on the dropped connection fails
    /// with an <see cref="InvalidOperationException"/> (the transaction has completed) that hides the outage.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (ConnectionLost && !ExceptionProblemHandler.IsDatabaseOutOfReach(e))
        {
            _failed = true;
            throw new DatabaseConnectionLostException(e);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    bool ConnectionLost => (_connection.FullState & System.Data.ConnectionState.Open) == 0 || _connection.FullState.HasFlag(System.Data.ConnectionState.Broken);

    public Task SaveAsync(IDocumentSession session, CancellationToken ct) => RunAsync(async () =>
    {
        await session.SaveChangesAsync(ct);
        return true;
    });

    /// <summary>
    /// Commits. If the connection is lost during the commit, the database may have committed or not, and nobody can
    /// tell until it is back: that is a <see cref="CommitOutcomeUnknownException"/>, never "nothing was saved".
    /// </summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        try
        {
            await RunAsync(async () =>
            {
                await _transaction.CommitAsync(ct);
                _committed = true;
                return true;
            });
        }
        catch (Exception e) when (ConnectionLost || ExceptionProblemHandler.IsDatabaseOutOfReach(e))
        {
            throw new CommitOutcomeUnknownException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_committed) await SafeLog.RollBackAsync(_transaction, _logger);
            if (_failed && _connection.State == System.Data.ConnectionState.Open) _connection.UnprepareAll();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException)
        {
            // A connection that cannot even be reset is broken, and Npgsql does not pool a broken connection.
            _logger.LogDebug("A failed write's connection could not be reset ({Failure})", SafeLog.Describe(e));
        }
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
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
                        "Write events in an AuditedWrite (a session from SessionFor, or a stream StampedBy its actor).");
            }
        }
        return Task.CompletedTask;
    }
}
