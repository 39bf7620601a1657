using System.Text.Json;
using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.Logging;

namespace JobQueue.Scheduling;

/// <summary>
/// What a schedule's tick does: enqueue its standing job (deduplicated), run one runner pass, or one
/// round of the queue's upkeep (<see cref="QueueMaintainer"/>, Functions only). A
/// Functions timer function is one line: <c>=&gt; scheduleRunner.RunAsync(Schedules.Runner.Name, timer.IsPastDue, ct)</c>,
/// which records the tick first (so that missed ticks can be recognised, see <see cref="ScheduleCatchUp"/>)
/// and fires even where the tick was recorded already (a manual run, the catch-up racing a late timer):
/// the standing enqueues are deduplicated, a runner pass more does no harm. The server's hosted
/// service claims the tick itself (one instance fires it) and calls <see cref="FireAsync"/>.
/// </summary>
public sealed partial class ScheduleRunner(
    JobQueueStore store, ScheduleTickStore ticks, ScheduleExpressions expressions, JobRunner runner, QueueGaugeSampler gauges,
    JobHandlerRegistry handlers, QueueMaintainer maintainer, ScheduleTable schedules, TimeProvider time, ILogger<ScheduleRunner> logger)
{
    /// <summary>A timer may fire a little before its tick by the clock used here.</summary>
    private static readonly TimeSpan EarlyFiring = TimeSpan.FromSeconds(5);

    private readonly string instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    public async Task RunAsync(string name, bool isPastDue, CancellationToken cancellationToken)
    {
        var schedule = schedules.Get(name);
        if (schedule.Action == ScheduleAction.QueueMaintenance)
        {
            // continuous upkeep: no tick to record, nothing to catch up (the next round does it all)
            await maintainer.RunOnceAsync(cancellationToken);
            return;
        }

        if (CronOccurrences.Previous(expressions.For(schedule), time.GetUtcNow() + EarlyFiring) is { } tick
            && !await ticks.ClaimTickAsync(name, tick, instance, cancellationToken))
        {
            LogAlreadyRecorded(logger, name, tick);
        }

        await FireAsync(schedule, isPastDue, cancellationToken);
    }

    /// <summary>Does the work of one tick that this caller has claimed.</summary>
    public async Task FireAsync(ScheduleDefinition schedule, bool isPastDue, CancellationToken cancellationToken, string? triggeredBy = null)
    {
        if (isPastDue)
        {
            LogPastDue(logger, schedule.Name);
        }

        if (schedule.Action == ScheduleAction.QueueMaintenance)
        {
            await maintainer.RunOnceAsync(cancellationToken);
            return;
        }

        if (schedule.StandingTaskType is { } taskType)
        {
            JsonElement? payload = null;
            if (handlers.TryGet(taskType, out var handler) && handler is IStandingJobSource source)
            {
                if (source.StandingSkipReason is { } reason)
                {
                    LogSkipped(logger, schedule.Name, taskType, reason);
                    return;
                }

                payload = source.StandingPayload;
            }

            var id = await store.EnqueueAsync(
                new EnqueueRequest(taskType, payload, DedupeKey: schedule.DedupeKey, TriggeredBy: triggeredBy ?? schedule.TriggeredBy),
                cancellationToken);
            LogEnqueued(logger, schedule.Name, taskType, id);
            return;
        }

        // the runner timer drains the queue (the backstop of the wake-up queue and of jobs that SQL or pg_cron enqueued)
        var report = await runner.RunPassAsync(new RunPassRequest(Drain: true), cancellationToken);
        LogRunnerPass(logger, schedule.Name, report.Status, report.Processed);
        await gauges.SampleAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Schedule {Schedule} is past due: running it now")]
    private static partial void LogPastDue(ILogger logger, string schedule);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Schedule {Schedule} enqueued {TaskType} job {JobId}")]
    private static partial void LogEnqueued(ILogger logger, string schedule, string taskType, Guid jobId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Schedule {Schedule} did not enqueue {TaskType}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string schedule, string taskType, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Schedule {Schedule} ran a runner pass: {Status}, {Processed} jobs")]
    private static partial void LogRunnerPass(ILogger logger, string schedule, string status, int processed);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Schedule {Schedule} tick {Tick} was recorded already (a manual run, or the catch-up fired it)")]
    private static partial void LogAlreadyRecorded(ILogger logger, string schedule, DateTimeOffset tick);
}
