using Marten.Storage;
using Npgsql;
using Weasel.Postgresql;

namespace Defence.Projections;

public static class DatabaseConnections
{
    /// <summary>An open connection to the store's database, for the read models Marten does not query itself.</summary>
    public static async Task<NpgsqlConnection> OpenConnectionAsync(this IMartenDatabase database, CancellationToken ct)
    {
        var connection = ((PostgresqlDatabase)database).CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
