using Cronos;
using JobQueue.Cron;
using Microsoft.Extensions.Logging;

namespace JobQueue.Scheduling;

/// <summary>What the catch-up did for one schedule whose ticks were missed.</summary>
public sealed record MissedTicks(string Schedule, DateTimeOffset LastTick, DateTimeOffset MissedTick, int Missed, string Action);

/// <summary>
/// Missed schedule ticks (the host was down, timers stopped firing after a deploy, PostgreSQL was down
/// at a pg_cron tick): every schedule whose newest due tick (older than <see cref="ScheduleExpressions.MissedGrace"/>)
/// is newer than its recorded one is caught up per its <see cref="MissedTickPolicy"/>, once across
/// instances (<c>job_queue_claim_missed_tick</c>), and recorded in the schedule tick table (count,
/// newest missed tick, fired or skipped). The app's standing pg_cron jobs are checked the same way
/// from pg_cron's run history, under the name <c>pg_cron:&lt;job name&gt;</c>. A schedule never
/// recorded starts being tracked without firing (a new deployment does not backfill).
/// </summary>
public sealed partial class ScheduleCatchUp(
    ScheduleTickStore ticks, ScheduleExpressions expressions, ScheduleRunner runner, ScheduleTable schedules, CronJobStore cronJobs, CronDatabase cronDatabase,
    TimeProvider time, ILogger<ScheduleCatchUp> logger)
{
    public const string Fired = "fired";
    public const string Skipped = "skipped";

    /// <summary>pg_cron starts a job within seconds of its tick; a last run older than this before the tick means it missed it.</summary>
    private static readonly TimeSpan CronStartTolerance = TimeSpan.FromSeconds(30);

    private readonly string instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    public async Task<IReadOnlyList<MissedTicks>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<MissedTicks>();
        var recorded = await ticks.GetTicksAsync(cancellationToken);
        var latest = time.GetUtcNow() - expressions.MissedGrace;
        // the queue's upkeep has no ticks to catch up: it is continuous (and the server runs it as a loop)
        foreach (var schedule in schedules.All.Where(s => s.Action != ScheduleAction.QueueMaintenance))
        {
            var cron = expressions.For(schedule);
            if (CronOccurrences.Previous(cron, latest) is not { } due)
            {
                continue;
            }

            if (!recorded.TryGetValue(schedule.Name, out var tick))
            {
                await ticks.ClaimTickAsync(schedule.Name, due, instance + " (tracking starts)", cancellationToken);
                continue;
            }

            if (tick.LastTick >= due)
            {
                continue;
            }

            var policy = expressions.PolicyFor(schedule);
            var missed = new MissedTicks(schedule.Name, tick.LastTick, due, CronOccurrences.CountBetween(cron, tick.LastTick, due),
                policy == MissedTickPolicy.Once ? Fired : Skipped);
            if (await ticks.ClaimMissedTickAsync(schedule.Name, due, missed.Missed, missed.Action, instance, cancellationToken))
            {
                LogMissed(logger, schedule.Name, missed.Missed, missed.LastTick, due, missed.Action);
                if (policy == MissedTickPolicy.Once)
                {
                    await runner.FireAsync(schedule, isPastDue: true, cancellationToken, schedule.TriggeredBy + ":missed");
                }

                results.Add(missed);
            }
        }

        await CatchUpStandingCronJobsAsync(recorded, latest, results, cancellationToken);
        return results;
    }

    /// <summary>The app's standing pg_cron jobs: a tick pg_cron missed (PostgreSQL down) runs once, per the standing schedule's policy.</summary>
    private async Task CatchUpStandingCronJobsAsync(
        IReadOnlyDictionary<string, ScheduleTick> recorded, DateTimeOffset latest, List<MissedTicks> results, CancellationToken cancellationToken)
    {
        IReadOnlyList<CronJob> jobs;
        string? target;
        try
        {
            jobs = await cronJobs.GetJobsAsync(cancellationToken);
            target = await cronDatabase.GetTargetDatabaseAsync(cancellationToken);
        }
        catch (CronJobException)
        {
            return; // no pg_cron here: nothing to check
        }

        foreach (var job in jobs)
        {
            // this app database's standing jobs only (one pg_cron database may serve several)
            var standing = schedules.Standing.FirstOrDefault(s => job.Name == s.JobNameFor(target));
            var schedule = schedules.All.FirstOrDefault(s => s.StandingTaskType == standing?.TaskType);
            if (standing is null || schedule is null || !job.Active || job.LastRun?.StartedAt is not { } lastRun
                || CronOccurrences.Previous(CronExpression.Parse(job.Schedule), latest) is not { } due
                || lastRun >= due - CronStartTolerance)
            {
                continue;
            }

            var name = "pg_cron:" + job.Name;
            var since = recorded.TryGetValue(name, out var tick) && tick.LastTick > lastRun ? tick.LastTick : lastRun;
            if (since >= due)
            {
                continue;
            }

            await ticks.ClaimTickAsync(name, lastRun, instance + " (tracking starts)", cancellationToken);
            var policy = expressions.PolicyFor(schedule);
            var missed = new MissedTicks(name, since, due, CronOccurrences.CountBetween(CronExpression.Parse(job.Schedule), since, due),
                policy == MissedTickPolicy.Once ? Fired : Skipped);
            if (await ticks.ClaimMissedTickAsync(name, due, missed.Missed, missed.Action, instance, cancellationToken))
            {
                LogMissed(logger, name, missed.Missed, since, due, missed.Action);
                if (policy == MissedTickPolicy.Once)
                {
                    await runner.FireAsync(schedule, isPastDue: true, cancellationToken, name + ":missed");
                }

                results.Add(missed);
            }
        }
    }

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "Schedule {Schedule} missed {Missed} tick(s) between {LastTick} and {MissedTick}: {Action}")]
    private static partial void LogMissed(ILogger logger, string schedule, int missed, DateTimeOffset lastTick, DateTimeOffset missedTick, string action);
}
