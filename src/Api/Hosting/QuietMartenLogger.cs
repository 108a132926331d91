using Defence.Api.Errors;
using Marten;
using Marten.Services;
using Npgsql;

namespace Defence.Api.Hosting;

/// <summary>
/// Marten's logging without values: Marten's own logger writes every failed statement's parameter values (tenant,
/// case and member ids, event data) at error level and every statement's at debug. This one writes a failure as
/// its exception's type and SQL state only, and schema changes (DDL holds no case data) as Marten does.
/// </summary>
public sealed class QuietMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Applied a schema change:\n{Sql}", sql);

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    // Failures are answered and logged once, with the request's correlation id, where they surface; here only at debug.
    public void LogFailure(NpgsqlCommand command, Exception ex) => LogFailure(ex, "");

    public void LogFailure(NpgsqlBatch batch, Exception ex) => LogFailure(ex, "");

    // Marten's message is not written: it may quote the statement's data.
    public void LogFailure(Exception ex, string message) => logger.LogDebug("A Marten operation failed ({Failure})", SafeLog.Describe(ex));

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }
}
