using System.Text.Json;
using Defence.Api;
using Defence.Domain.Cases;
using Defence.Domain.Vocabulary;
using Npgsql;
using NpgsqlTypes;

namespace Defence.Bench;

/// <summary>
/// The database's ceiling for appends on this machine: single-row INSERT transactions (autocommit, prepared,
/// one connection per worker) of a jsonb document the size of a ReportReceived event, with the same
/// concurrency and duration as the HTTP load.
/// </summary>
public static class Baseline
{
    /// <summary>A ReportReceived as the event store holds it (camelCase, vocabulary codes): the row's payload.</summary>
    public static string ReportEventJson()
    {
        var options = new JsonSerializerOptions();
        Startup.ConfigureJson(options);
        var report = new ReportReceived(
            Guid.CreateVersion7(), Guid.NewGuid(), Specialty.GeneralPractice, [Channel.Facebook, Channel.Letter],
            Concern.AmorousAdvances, new DateOnly(2025, 9, 1), Workload.Summary, "JS 1984", DateTimeOffset.UtcNow);
        return JsonSerializer.Serialize(report, options);
    }

    /// <summary>Creates the table and opens one prepared connection per worker, outside the measured time.</summary>
    public static async Task<Runner> PrepareAsync(string connectionString, int workers, string json, CancellationToken ct)
    {
        await BenchDatabase.ExecuteAsync(connectionString,
            "create schema if not exists bench; drop table if exists bench.report_rows; " +
            "create table bench.report_rows (id bigint generated always as identity primary key, data jsonb not null)", ct);

        var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = workers + 2 }.ConnectionString);
        var runner = new Runner(source, workers);
        try
        {
            for (var i = 0; i < workers; i++)
            {
                var connection = await source.OpenConnectionAsync(ct);
                var command = new NpgsqlCommand("insert into bench.report_rows (data) values ($1)", connection);
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json });
                runner.Commands[i] = command;
                await command.PrepareAsync(ct);
            }
            return runner;
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }
    }

    public sealed class Runner(NpgsqlDataSource source, int workers) : IAsyncDisposable
    {
        public NpgsqlCommand?[] Commands { get; } = new NpgsqlCommand?[workers];

        public Task<LoadResult> RunAsync(TimeSpan duration, CancellationToken ct) =>
            Load.RunAsync("baseline", workers, duration, maxOperations: 100_000_000, async (worker, token) =>
            {
                await Commands[worker]!.ExecuteNonQueryAsync(token);
                return Outcome.Success;
            }, ct: ct);

        public async ValueTask DisposeAsync()
        {
            foreach (var command in Commands)
            {
                if (command is null) continue;
                var connection = command.Connection;
                await command.DisposeAsync();
                if (connection is not null) await connection.DisposeAsync();
            }
            await source.DisposeAsync();
        }
    }
}
