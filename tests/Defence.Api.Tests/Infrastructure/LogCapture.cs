using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// Every log entry the API writes, at every level (Trace included), formatted as a sink would write it: the
/// message with its exception's full text. Tests search it for text that must never reach the logs.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>Entries holding any of <paramref name="secrets"/>, each cut short, for an assertion's message.</summary>
    public IReadOnlyList<string> Containing(params string[] secrets) =>
        _entries.Where(e => secrets.Any(s => e.Contains(s, StringComparison.Ordinal))).Select(e => e.Length > 600 ? e[..600] + "…" : e).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
    }
}
