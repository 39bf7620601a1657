using JobQueue.Cron;

namespace JobQueue.Api;

/// <summary><c>GET admin/cron-jobs</c>: the app's own jobs, the latest runs, and what the list does not show.</summary>
public sealed record CronJobListResponse(IReadOnlyList<CronJob> Jobs, IReadOnlyList<CronJobRun> Runs, CronJobListSummary Summary);

/// <summary>
/// The cron list's counts; the <c>unlisted*</c> and <c>invisible*</c> counts are a number, or the string
/// <c>"unknown"</c> where this connection cannot count them (never a silent 0): see <see cref="CronVisibility"/>.
/// </summary>
public sealed record CronJobListSummary(
    int Total,
    int Active,
    int Inactive,
    int RecentFailures,
    object UnlistedJobs,
    object UnlistedRecentFailures,
    object InvisibleJobs,
    object InvisibleRecentFailures,
    string? CountedBy,
    string? Note)
{
    /// <summary>A count, or "unknown" when it could not be read.</summary>
    public static object Count(long? count) => (object?)count ?? "unknown";
}

/// <summary><c>POST admin/cron-jobs/{name}/run</c>: the job the schedule enqueues, enqueued once now.</summary>
public sealed record CronJobRunResponse(bool Success, Guid JobId, string JobName, string Message);

/// <summary><c>POST admin/cron-jobs/install-standing</c>: each standing job and what installing it did.</summary>
public sealed record StandingInstallResponse(IReadOnlyList<StandingInstallResult> Results);
