using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// Every log entry the API writes, at every level (Trace included), formatted as a sink would write it: the
/// message with its exception's full text. Tests search it for text that must never reach the logs.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Text)
    {
        public override string ToString() => $"{Level} {Category}: {(Text.Length > 600 ? Text[..600] + "…" : Text)}";
    }

    readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    /// <summary>Entries holding any of <paramref name="secrets"/>.</summary>
    public IReadOnlyList<Entry> Containing(params string[] secrets) =>
        _entries.Where(e => secrets.Any(s => e.Text.Contains(s, StringComparison.Ordinal))).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}
