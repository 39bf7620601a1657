namespace JobQueue.Cutover;

/// <summary>A row of <c>jobqueue.cutover_cron_jobs</c> (without the old command's hash): the old pg_cron job beside the JobQueue job that replaced it.</summary>
public sealed record CutoverCronJob(
    long OldJobId, string OldJobName, string OldUsername, string OldDatabase, string NewJobName, DateTimeOffset ConvertedAt, DateTimeOffset? RolledBackAt);

/// <summary>
/// One attempt (or a job not attempted yet: attempt fields null) of a job that the new schedule
/// enqueued (<c>jobqueue.cutover_parity_attempts</c>), with the HTTP status code where one is recorded.
/// </summary>
public sealed record NewScheduleAttempt(
    string JobName, Guid JobId, string JobStatus, DateTimeOffset CreatedAt, int? Attempt, string? Outcome,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? DurationMs, int? StatusCode, string? Error);

/// <summary>One run of an old pg_cron job (<c>cron.job_run_details</c>), its message masked.</summary>
public sealed record OldCronRun(long RunId, string? Status, string? Message, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>An old pg_cron job as the owner's connection sees it: enabled or not, and its latest runs, newest first.</summary>
public sealed record OldCronJob(long JobId, bool Active, IReadOnlyList<OldCronRun> Runs);

/// <summary>A pg_net response (<c>net._http_response</c>): its request id, HTTP status code and when it arrived; never its body.</summary>
public sealed record PgNetResponse(long Id, int? StatusCode, DateTimeOffset Created);
