using JobQueue.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace JobQueue.Database;

/// <summary>
/// The database start-up of every host, in the background so that a host starts (and answers "not
/// ready") while PostgreSQL is down: apply the migrations (<see cref="StartupMigration"/>, unless
/// <c>Database:MigrateOnStartup=false</c>), then reach the queue's functions as the app's own login.
/// A failed attempt is retried (Polly) after the outage backoff (<see cref="OutageBackoff"/>: 1 s doubling up to 30 s, ±20%),
/// forever, and logged as one line per attempt, without a stack trace; the first success marks the
/// instance ready (<see cref="DatabaseReadiness"/>) and the waiting background loops start.
/// </summary>
public sealed partial class DatabaseStartupService(
    IServiceProvider services, DatabaseReadiness readiness, TimeProvider time, ILogger<DatabaseStartupService> logger) : BackgroundService
{
    public static readonly TimeSpan FirstDelay = OutageBackoff.First;

    public static readonly TimeSpan MaxDelay = OutageBackoff.Max;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var attempts = 0;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !stoppingToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = OutageBackoff.Schedule.DelayGenerator<object>(),
                OnRetry = args =>
                {
                    var e = args.Outcome.Exception!;
                    var reason = DatabaseFailure.Summary(e);
                    readiness.MarkNotReady(reason);
                    LogAttemptFailed(logger, args.AttemptNumber + 1, reason, DatabaseFailure.Describe(e), Math.Round(args.RetryDelay.TotalSeconds, 1));
                    return default;
                },
            })
            .Build();

        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    await StartupMigration.RunIfEnabledAsync(services, ct);
                    await services.GetRequiredService<QueueSettingsStore>().GetSettingsAsync(ct);
                },
                stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        readiness.MarkReady();
        LogReady(logger, attempts);
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Database start-up attempt {Attempt} failed: {Reason} ({Error}); not ready, retrying in {RetryInSeconds} s")]
    private static partial void LogAttemptFailed(ILogger logger, int attempt, string reason, string error, double retryInSeconds);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Database ready (start-up attempt {Attempts})")]
    private static partial void LogReady(ILogger logger, int attempts);
}
