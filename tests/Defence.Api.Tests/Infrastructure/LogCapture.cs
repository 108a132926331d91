using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Defence.Api.Tests.Infrastructure;

/// <summary>
/// Every log entry the API writes, at every level (Trace included), formatted as a sink would write it: the
/// message with its exception's full text. Tests search it for text that must never reach the logs.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    /// <param name="Scope">The values of the scopes the entry was written in (e.g. a request's CorrelationId and Tenant).</param>
    public sealed record Entry(LogLevel Level, string Category, string Text, IReadOnlyDictionary<string, object?> Scope)
    {
        public override string ToString() => $"{Level} {Category}: {(Text.Length > 600 ? Text[..600] + "…" : Text)}";
    }

    readonly ConcurrentQueue<Entry> _entries = new();
    IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public IReadOnlyCollection<Entry> Entries => _entries;

    /// <summary>Entries holding any of <paramref name="secrets"/>.</summary>
    public IReadOnlyList<Entry> Containing(params string[] secrets) =>
        _entries.Where(e => secrets.Any(s => e.Text.Contains(s, StringComparison.Ordinal))).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose() { }

    sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            capture._scopes.ForEachScope((value, values) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, item) in pairs) values[key] = item;
            }, scope);
            capture._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception), scope));
        }
    }
}
