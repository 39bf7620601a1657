namespace JobQueue.Scheduling;

/// <summary>
/// Every schedule of the app. Functions binds each with <c>[TimerTrigger("%Schedules:&lt;Key&gt;%")]</c>
/// and calls <see cref="ScheduleRunner.RunAsync"/>; the server runs them with a hosted service.
/// </summary>
public static class Schedules
{
    public const string Section = "Schedules";

    public static readonly ScheduleDefinition GamePlatformSync =
        new("GamePlatformSync", "Schedules:GamePlatformSync", "0 */30 * * * *", "game_platform_sync");

    public static readonly ScheduleDefinition GamePlatformTotalsSweep =
        new("GamePlatformTotalsSweep", "Schedules:GamePlatformTotalsSweep", "0 0 * * * *", "game_platform_totals_sweep");

    public static readonly ScheduleDefinition JobQueueCleanup =
        new("JobQueueCleanup", "Schedules:JobQueueCleanup", "0 15 3 * * *", "job_queue_cleanup");

    /// <summary>The nightly stats pipeline run; a tick does nothing while Pipelines:StatsUpdate:Steps is empty.</summary>
    public static readonly ScheduleDefinition StatsUpdateNightly =
        new("StatsUpdateNightly", "Schedules:StatsUpdateNightly", "0 0 2 * * *", "stats_update");

    /// <summary>One runner pass a minute (the Functions app's timer-driven runner; the server also polls).</summary>
    public static readonly ScheduleDefinition Runner =
        new("Runner", "Schedules:Runner", "0 * * * * *", null, MissedTickPolicy.Skip);

    /// <summary>
    /// The queue's upkeep every 15 s: lease rescue, final-failure reports, queue gauges, by the elected
    /// leader (Maintenance/QueueMaintainer.cs). The Functions app's timer; the server runs the
    /// maintainer as a loop of its own (Maintenance:IntervalSeconds) and skips this schedule.
    /// </summary>
    public static readonly ScheduleDefinition QueueMaintenance =
        new("QueueMaintenance", "Schedules:QueueMaintenance", "*/15 * * * * *", null, MissedTickPolicy.Skip, Maintenance: true);

    public static IReadOnlyList<ScheduleDefinition> All { get; } = [GamePlatformSync, GamePlatformTotalsSweep, JobQueueCleanup, StatsUpdateNightly, Runner, QueueMaintenance];

    public static ScheduleDefinition Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"no schedule '{name}'", nameof(name));
}
