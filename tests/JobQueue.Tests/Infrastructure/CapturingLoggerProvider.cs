using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Keeps every log line (message, structured values, scopes, current trace id, exception) for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>The same events, structured: category, event id and the message properties.</summary>
    public ConcurrentQueue<CapturedLog> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)}");
            var properties = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (k, v) in values)
                {
                    line.Append($" {k}={v}");
                    properties[k] = v;
                }
            }

            owner.Records.Enqueue(new CapturedLog(category, eventId.Id, logLevel, properties));

            owner.scopes.ForEachScope((scope, sb) => sb.Append(" scope:").Append(scope), line);
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                line.Append(" trace:").Append(activity.TraceId.ToHexString());
            }

            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }

            owner.Lines.Enqueue(line.ToString());
        }
    }
}

/// <summary>One captured log event.</summary>
public sealed record CapturedLog(string Category, int EventId, LogLevel Level, IReadOnlyDictionary<string, object?> Properties);
