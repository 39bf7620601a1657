using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The runner's structured log events. Property names become Application Insights custom
/// dimensions: JobId, TaskType, Attempt, MaxAttempts, Outcome, DurationMs, Error.
/// </summary>
internal static partial class RunnerLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} {Outcome} in {DurationMs} ms")]
    public static partial void AttemptSucceeded(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string outcome, long durationMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} {Outcome} in {DurationMs} ms, retry in {RetryInSeconds} s: {Error}")]
    public static partial void AttemptRetry(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string outcome, long durationMs, double retryInSeconds, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} {Outcome} for good in {DurationMs} ms: {Error}")]
    public static partial void AttemptFailed(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string outcome, long durationMs, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} {Outcome}: its lease was taken over, the result ({DurationMs} ms) was discarded")]
    public static partial void AttemptLeaseLost(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string outcome, long durationMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} {Outcome}: runs again in {RetryInSeconds} s without using up an attempt: {Error}")]
    public static partial void AttemptSnoozed(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string outcome, long durationMs, double retryInSeconds, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} abandoned: its handler ignored its cancellation ({Reason}) for {GraceSeconds} s; its lease runs out and another runner takes the job over")]
    public static partial void AttemptAbandoned(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string reason, long graceSeconds);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "Job {JobId} ({TaskType}) attempt {Attempt}/{MaxAttempts} succeeded, {Outcome}: part of its work failed, in {DurationMs} ms: {Error}")]
    public static partial void AttemptPartial(ILogger logger, Guid jobId, string taskType, int attempt, int maxAttempts, string outcome, long durationMs, string error);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "Runner pass {RunnerId} skipped: processing is paused ({PausedReason})")]
    public static partial void PassPaused(ILogger logger, string runnerId, string? pausedReason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug,
        Message = "Runner pass {RunnerId} processed {Processed} jobs in {DurationMs} ms")]
    public static partial void PassFinished(ILogger logger, string runnerId, int processed, long durationMs);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning,
        Message = "Runner pass {RunnerId} stopped claiming: {RemainingMs} ms left of its time budget")]
    public static partial void PassOutOfTime(ILogger logger, string runnerId, long remainingMs);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning,
        Message = "Runner {RunnerId}: {Operation} failed ({ErrorType}): {Error}; running jobs go on, trying again in {RetryInSeconds} s")]
    public static partial void SessionDatabaseError(ILogger logger, string runnerId, string operation, string errorType, string error, double retryInSeconds);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning,
        Message = "Runner loop pass failed {Failures} times in a row ({Error}); next pass in {RetryInSeconds} s")]
    public static partial void LoopPassFailed(ILogger logger, int failures, string error, double retryInSeconds);
}
