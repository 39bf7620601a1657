namespace JobQueue.Cron;

/// <summary>
/// What the cron summary cannot list, beside the app's own jobs: the schema owner's other pg_cron jobs
/// (<see cref="UnlistedJobs"/>, counted, never shown) and the jobs of other roles
/// (<see cref="InvisibleJobs"/>), each with its runs that failed in the window; null = unknown (the
/// connections at hand cannot see every job, or pg_cron's database lacks the functions that count),
/// never a silent 0. <see cref="Note"/> says what to do.
/// </summary>
public sealed record CronVisibility(
    long? UnlistedJobs,
    long? UnlistedRecentFailures,
    long? InvisibleJobs,
    long? InvisibleRecentFailures,
    string? CountedBy,
    string? Note);
