namespace JobQueue.Scheduling;

/// <summary>What happens to a schedule's ticks that were missed (host down, timers frozen): setting
/// <c>Schedules:MissedPolicy:&lt;Name&gt;</c>.</summary>
public enum MissedTickPolicy
{
    /// <summary>Run once at the next opportunity, however many ticks were missed.</summary>
    Once,

    /// <summary>Record them and wait for the next regular tick.</summary>
    Skip,
}
