using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Keeps every log line (message, structured values, scopes, current trace id, exception) for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

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
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (k, v) in values)
                {
                    line.Append($" {k}={v}");
                }
            }

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
