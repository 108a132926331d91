using System.Diagnostics;
using Defence.Api.Hosting;
using Testcontainers.PostgreSql;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>PostgreSQL in a container (Testcontainers), for machines with a Docker engine but no PostgreSQL binaries.</summary>
public static class PostgresContainer
{
    public const string Image = "postgres:15-alpine";

    /// <summary>Starts a container; <paramref name="reuse"/> keeps it, and its data, for another run.</summary>
    public static async Task<PostgreSqlContainer> StartAsync(bool reuse, CancellationToken ct = default)
    {
        if (!await DockerEngine.AnswersAsync())
            throw new InvalidOperationException(
                "No Docker engine answers ('docker version' failed), so no PostgreSQL container can be started. " +
                "Start a Docker engine, install the PostgreSQL server binaries, or set a connection string.");

        var builder = new PostgreSqlBuilder(Image).WithDatabase(LocalPostgres.DatabaseName);
        if (reuse) builder = builder.WithReuse(true).WithLabel("defence.dev-database", "true");
        var container = builder.Build();
        await container.StartAsync(ct);
        return container;
    }
}

public static class DockerEngine
{
    /// <summary>True when a Docker engine (not just the client) answers within a few seconds.</summary>
    public static async Task<bool> AnswersAsync()
    {
        try
        {
            var start = new ProcessStartInfo("docker", "version --format {{.Server.Version}}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }
}
