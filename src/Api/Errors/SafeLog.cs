using Npgsql;

namespace Defence.Api.Errors;

/// <summary>
/// How failures are written to the logs: by type, PostgreSQL error code and stack, never by message. Messages of
/// database and parsing errors quote the values that failed (a summary's text in PostgreSQL's error context, a
/// patient's year in a format error), and case data is special category health data.
/// </summary>
public static class SafeLog
{
    /// <summary>The exception's type chain and SQL state, e.g. <c>ExistingStreamIdCollisionException &lt; PostgresException 23505</c>.</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
            parts.Add(e is PostgresException pg ? $"{e.GetType().Name} {pg.SqlState}" : e.GetType().Name);
        return string.Join(" < ", parts);
    }

    /// <summary><see cref="Describe"/> with each exception's stack trace, for failures an operator must find the cause of.</summary>
    public static string DescribeWithStack(Exception exception)
    {
        var lines = new List<string> { Describe(exception) };
        for (var e = exception; e is not null; e = e.InnerException)
            if (e.StackTrace is { } stack) lines.Add($"--- {e.GetType().Name}:\n{stack}");
        return string.Join('\n', lines);
    }

    /// <summary>Rolls back a transaction that a failed statement may already have ended.</summary>
    public static async Task RollBackAsync(NpgsqlTransaction transaction, ILogger logger)
    {
        try
        {
            await transaction.RollbackAsync();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or NpgsqlException)
        {
            logger.LogDebug("The transaction was already ended ({Failure})", Describe(e));
        }
    }
}
