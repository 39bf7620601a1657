using JobQueue.Scheduling;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>
/// One timer function per schedule of the composed <see cref="ScheduleTable"/>: same name, bound to the
/// schedule's setting (6-field NCrontab, UTC). The library enqueues the standing job (deduplicated)
/// or runs a runner pass, and logs a past-due tick. Disable one with app setting
/// <c>AzureWebJobs.&lt;Name&gt;.Disabled=true</c>.
/// </summary>
public sealed class ScheduleFunctions(ScheduleRunner schedules)
{
    [Function("GamePlatformSync")]
    public Task GamePlatformSync([TimerTrigger("%Schedules:GamePlatformSync%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        schedules.RunAsync(GamePlatformBuilderExtensions.SyncSchedule.Name, timer.IsPastDue, cancellationToken);

    [Function("GamePlatformTotalsSweep")]
    public Task GamePlatformTotalsSweep([TimerTrigger("%Schedules:GamePlatformTotalsSweep%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        schedules.RunAsync(GamePlatformBuilderExtensions.TotalsSweepSchedule.Name, timer.IsPastDue, cancellationToken);

    [Function("JobQueueCleanup")]
    public Task JobQueueCleanup([TimerTrigger("%Schedules:JobQueueCleanup%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        schedules.RunAsync(JobTypesBuilderExtensions.JobQueueCleanup.Name, timer.IsPastDue, cancellationToken);

    [Function("StatsUpdateNightly")]
    public Task StatsUpdateNightly([TimerTrigger("%Schedules:StatsUpdateNightly%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        schedules.RunAsync(JobTypesBuilderExtensions.StatsUpdateNightly.Name, timer.IsPastDue, cancellationToken);

    [Function("QueueMaintenance")]
    public Task QueueMaintenance([TimerTrigger("%Schedules:QueueMaintenance%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        schedules.RunAsync(Schedules.QueueMaintenance.Name, timer.IsPastDue, cancellationToken);

    [Function("Runner")]
    public Task RunnerTick([TimerTrigger("%Schedules:Runner%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        schedules.RunAsync(Schedules.Runner.Name, timer.IsPastDue, cancellationToken);
}
