namespace JobQueue.Runner;

/// <summary>
/// What one runner pass did, in the shape the existing callers read:
/// <c>{"status":"ok","processed":3,"succeeded":2,"failed":1,"results":[...]}</c>.
/// <c>failed</c> counts attempts that did not succeed (<c>retried</c> of them will run again).
/// </summary>
public sealed record RunnerReport(
    string Status,
    int Processed,
    int Succeeded,
    int Failed,
    int Retried,
    IReadOnlyList<RunnerJobResult> Results,
    string? PausedReason = null)
{
    public static RunnerReport Paused(string? reason) => new("paused", 0, 0, 0, 0, [], reason);
}

/// <summary>One job of a pass: its status after the attempt (succeeded, pending for a retry, failed).</summary>
public sealed record RunnerJobResult(
    Guid Id,
    string TaskType,
    string Status,
    int Attempts,
    long DurationMs,
    string? LastError);

/// <summary>A pass request: <see cref="Limit"/> null takes the default; <see cref="Force"/> runs even when paused.</summary>
public sealed record RunPassRequest(int? Limit = null, bool Force = false);
