using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.Logging;

namespace JobQueue.Scheduling;

/// <summary>
/// What a schedule's tick does. A Functions timer function is one line:
/// <c>=&gt; scheduleRunner.RunAsync(Schedules.GamePlatformSync.Name, timer.IsPastDue, ct)</c>.
/// </summary>
public sealed partial class ScheduleRunner(
    JobQueueStore store, JobRunner runner, QueueGaugeSampler gauges, QueueMaintainer maintainer, ILogger<ScheduleRunner> logger)
{
    public async Task RunAsync(string name, bool isPastDue, CancellationToken cancellationToken)
    {
        var schedule = Schedules.Get(name);
        if (isPastDue)
        {
            LogPastDue(logger, name);
        }

        if (schedule.Action == ScheduleAction.QueueMaintenance)
        {
            await maintainer.RunOnceAsync(cancellationToken);
            return;
        }

        if (schedule.StandingTaskType is { } taskType)
        {
            var id = await store.EnqueueAsync(
                new EnqueueRequest(taskType, DedupeKey: schedule.DedupeKey, TriggeredBy: schedule.TriggeredBy),
                cancellationToken);
            LogEnqueued(logger, name, taskType, id);
            return;
        }

        var report = await runner.RunPassAsync(new RunPassRequest(), cancellationToken);
        LogRunnerPass(logger, name, report.Status, report.Processed);
        await gauges.SampleAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Schedule {Schedule} is past due: running it now")]
    private static partial void LogPastDue(ILogger logger, string schedule);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Schedule {Schedule} enqueued {TaskType} job {JobId}")]
    private static partial void LogEnqueued(ILogger logger, string schedule, string taskType, Guid jobId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Schedule {Schedule} ran a runner pass: {Status}, {Processed} jobs")]
    private static partial void LogRunnerPass(ILogger logger, string schedule, string status, int processed);
}
