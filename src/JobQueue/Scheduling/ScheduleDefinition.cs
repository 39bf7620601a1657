namespace JobQueue.Scheduling;

/// <summary>
/// A schedule, declared once: its name (the Functions timer function's name), the setting that
/// overrides its 6-field NCrontab expression (UTC, with seconds), the default expression, and what
/// a tick does (<see cref="Action"/>: enqueue a standing job, run one runner pass, or one round of
/// the queue's upkeep).
/// </summary>
public sealed record ScheduleDefinition(
    string Name, string SettingKey, string DefaultCron, string? StandingTaskType, MissedTickPolicy DefaultMissedPolicy = MissedTickPolicy.Once,
    bool Maintenance = false)
{
    public ScheduleAction Action =>
        StandingTaskType is not null ? ScheduleAction.EnqueueStandingJob : Maintenance ? ScheduleAction.QueueMaintenance : ScheduleAction.RunnerPass;

    /// <summary>Setting that overrides <see cref="DefaultMissedPolicy"/> (<c>Once</c> or <c>Skip</c>).</summary>
    public string MissedPolicyKey => $"{Schedules.Section}:MissedPolicy:{Name}";

    /// <summary>Dedupe key of the standing job: timers and pg_cron use the same one, so they never double-enqueue.</summary>
    public string? DedupeKey => StandingTaskType is null ? null : "standing:" + StandingTaskType;

    /// <summary>The <c>triggered_by</c> of the jobs it enqueues.</summary>
    public string TriggeredBy => "schedule:" + Name;
}

/// <summary>What a schedule's tick does.</summary>
public enum ScheduleAction
{
    /// <summary>Enqueue the standing job of its task type (deduplicated).</summary>
    EnqueueStandingJob,

    /// <summary>One runner pass, then a sample of the queue gauges.</summary>
    RunnerPass,

    /// <summary>One round of <see cref="JobQueue.Maintenance.QueueMaintainer"/> (the server runs its own loop instead).</summary>
    QueueMaintenance,
}
