namespace JobQueue.Queue;

/// <summary>
/// Why a pending job is not running (<c>job_queue_explain_wait</c>), in one line: <see cref="Reason"/>
/// (<c>not_due</c>, <c>backoff</c>, <c>processing_paused</c>, <c>task_type_paused</c>,
/// <c>held_flag_stale</c>, <c>concurrency_limit</c>, <c>partition_limit</c>, <c>rate_limit</c>,
/// <c>lower_priority</c>, <c>queued_behind</c>, <c>no_runner</c>, <c>next_in_line</c>), the sentence an
/// operator reads (<see cref="Message"/>), the time it names (due at, paused until or since, rate
/// window end, last start) and the count it names (attempt, running jobs, starts, jobs ahead).
/// </summary>
public sealed record JobWait(string Reason, string Message, DateTimeOffset? At, long? Count);
