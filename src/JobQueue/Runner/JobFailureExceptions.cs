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
/// Thrown by a handler for an error that retrying later can fix, when the other side said when (an
/// HTTP <c>Retry-After</c>): the job's next attempt waits at least <see cref="RetryAfter"/> (capped by
/// <c>Runner:Backoff:MaxSeconds</c>), or its usual backoff when that is longer.
/// </summary>
public sealed class RetryLaterJobException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
