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
