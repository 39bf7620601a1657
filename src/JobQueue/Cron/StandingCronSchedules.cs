namespace JobQueue.Cron;

/// <summary>One of the standing jobs, as pg_cron runs it when a deployment prefers pg_cron to the app's timers.</summary>
public sealed record StandingSchedule(string JobName, string Schedule, string TaskType)
{
    /// <summary>The dedupe key of every enqueue of this standing job (pg_cron's and the app timers' alike).</summary>
    public string DedupeKey => StandingCronSchedules.DedupeKey(TaskType);

    /// <summary>
    /// The pg_cron job name: <see cref="JobName"/>, or, when pg_cron's database serves another app
    /// database, <c>&lt;JobName&gt;.&lt;database&gt;</c> (pg_cron names are unique per role, and one
    /// cron database may serve several app databases).
    /// </summary>
    public string JobNameFor(string? targetDatabase)
    {
        if (string.IsNullOrEmpty(targetDatabase))
        {
            return JobName;
        }

        var suffix = new string(targetDatabase.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray());
        var name = JobName + "." + suffix;
        return name.Length <= CronJobRequestValidator.MaxNameLength ? name : name[..CronJobRequestValidator.MaxNameLength];
    }
}

/// <summary>What <see cref="StandingCronInstaller"/> did with one standing job.</summary>
public sealed record StandingInstallResult(string JobName, string Outcome, CronJob Job);

/// <summary>
/// The standing work (each module registers its own: <see cref="JobQueue.Scheduling.ScheduleTable.Standing"/>).
/// Both pg_cron and the app's timers enqueue with the dedupe key <c>standing:&lt;task_type&gt;</c>, so
/// with both on there is still at most one pending or running job of each.
/// </summary>
public static class StandingCronSchedules
{
    public static string DedupeKey(string taskType) => "standing:" + taskType;
}
