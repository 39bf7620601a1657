namespace JobQueue.Runner;

/// <summary>
/// What a handler returns when it did only part of its work and a retry would not help (the stats
/// pipeline with a failed step): the job succeeds with <see cref="Output"/> as its output, and
/// <see cref="Error"/> (naming what failed) is kept as its <c>last_error</c>. The API shows such a job
/// as <c>status: succeeded</c>, <c>outcome: partial</c> (<see cref="Queue.Job.Outcome"/>); the runner
/// logs it as a warning (EventId 1007) and counts it (<c>jobqueue.jobs.partial</c>).
/// </summary>
public sealed record PartialJobResult(object? Output, string Error);
