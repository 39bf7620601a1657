namespace JobQueue.Scheduling;

/// <summary>
/// The engine's own schedules (the modules add theirs: <see cref="ScheduleTable"/>). Functions binds each with <c>[TimerTrigger("%Schedules:&lt;Key&gt;%")]</c>
/// and calls <see cref="ScheduleRunner.RunAsync"/>; the server runs them with a hosted service.
/// </summary>
public static class Schedules
{
    public const string Section = "Schedules";

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

    public static IReadOnlyList<ScheduleDefinition> All { get; } = [Runner, QueueMaintenance];

}
