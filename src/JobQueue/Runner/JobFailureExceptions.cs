namespace JobQueue.Runner;

/// <summary>Thrown by a handler for an error that retrying cannot fix: the job fails at once.</summary>
public class PermanentJobException : Exception
{
    public PermanentJobException(string message) : base(message) { }

    public PermanentJobException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The payload does not match the handler's payload type: the job fails at once.</summary>
public sealed class InvalidJobPayloadException(IReadOnlyList<PayloadError> errors)
    : PermanentJobException("invalid payload: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")))
{
    public IReadOnlyList<PayloadError> Errors { get; } = errors;
}

/// <summary>
/// Thrown by a handler (or through <see cref="JobContext.Snooze"/>) to run the job again after
/// <see cref="Delay"/> without using up an attempt: for jobs that poll for a condition, or wait for
/// a rate limit. Recorded in the attempt history as <c>snoozed</c> with <see cref="Exception.Message"/>.
/// </summary>
public sealed class SnoozeJobException(TimeSpan delay, string reason) : Exception(reason)
{
    /// <summary>The longest a job may snooze at once.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public TimeSpan Delay { get; } = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
}

/// <summary>
/// Thrown by a handler whose downstream asked every caller to wait (a 429 with Retry-After): its whole
/// task type is paused until <see cref="Until"/> across all runners (visible in health and
/// <c>GET admin/task-limits</c>), and this job is snoozed until then without using up an attempt.
/// </summary>
public sealed class PauseTaskTypeException(DateTimeOffset until, string reason) : Exception(reason)
{
    public DateTimeOffset Until { get; } = until;
}

/// <summary>
/// Thrown by a handler for an error that retrying later can fix, when the other side said when (an
/// HTTP <c>Retry-After</c>) for this call only (an HTTP job's host, not its whole task type): the job's
/// next attempt waits at least <see cref="RetryAfter"/> (capped by <c>Runner:Backoff:MaxSeconds</c>), or
/// its usual backoff when that is longer, and uses up an attempt.
/// </summary>
public sealed class RetryLaterJobException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
