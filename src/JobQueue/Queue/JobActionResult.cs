namespace JobQueue.Queue;

/// <summary>What an operator action (retry, cancel, run-now) did.</summary>
public enum JobActionOutcome
{
    Ok,
    NotFound,
    InvalidState,
}

/// <summary>The outcome and the job's status after the action (unchanged when refused).</summary>
public sealed record JobActionResult(JobActionOutcome Outcome, string? Status);
