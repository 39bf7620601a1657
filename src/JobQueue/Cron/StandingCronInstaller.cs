using JobQueue.Scheduling;

namespace JobQueue.Cron;

/// <summary>
/// Installs the standing jobs in pg_cron, idempotently: a missing job is created, one with another
/// schedule is rescheduled, one enqueueing something else is replaced, the rest is left alone
/// (an operator's enable/disable is kept).
/// </summary>
public sealed class StandingCronInstaller(CronJobStore store, CronDatabase cron, ScheduleTable schedules)
{
    public const string Created = "created";
    public const string Rescheduled = "rescheduled";
    public const string Replaced = "replaced";
    public const string Unchanged = "unchanged";

    public async Task<IReadOnlyList<StandingInstallResult>> InstallAsync(CancellationToken cancellationToken = default)
    {
        var target = await cron.GetTargetDatabaseAsync(cancellationToken);
        var existing = (await store.GetJobsAsync(cancellationToken)).ToDictionary(j => j.Name, StringComparer.Ordinal);
        var results = new List<StandingInstallResult>();
        foreach (var standing in schedules.Standing)
        {
            var name = standing.JobNameFor(target);
            results.Add(await InstallOneAsync(standing, name, existing.GetValueOrDefault(name), cancellationToken));
        }

        return results;
    }

    private async Task<StandingInstallResult> InstallOneAsync(
        StandingSchedule standing, string name, CronJob? current, CancellationToken cancellationToken)
    {
        var definition = new CronJobDefinition(name, standing.Schedule, standing.TaskType, DedupeKey: standing.DedupeKey);
        if (current is null)
        {
            try
            {
                return new(name, Created, await store.CreateAsync(definition, cancellationToken));
            }
            catch (CronJobException e) when (e.Kind == CronErrorKind.Conflict)
            {
                // another instance installed it a moment ago
                var now = (await store.GetJobsAsync(cancellationToken)).First(j => j.Name == name);
                return new(name, Unchanged, now);
            }
        }

        if (current.TaskType != standing.TaskType || current.DedupeKey != standing.DedupeKey)
        {
            await store.DeleteAsync(name, cancellationToken);
            var replaced = await store.CreateAsync(definition, cancellationToken);
            if (!current.Active)
            {
                replaced = await store.ToggleAsync(name, false, cancellationToken);
            }

            return new(name, Replaced, replaced);
        }

        if (current.Schedule != standing.Schedule)
        {
            return new(name, Rescheduled, await store.RescheduleAsync(name, standing.Schedule, cancellationToken));
        }

        return new(name, Unchanged, current);
    }
}
