namespace JobQueue.Scheduling;

/// <summary>
/// A schedule, declared once: its name (the Functions timer function's name), the setting that
/// overrides its 6-field NCrontab expression (UTC, with seconds), the default expression, and what
/// a tick does (enqueue a standing job, or run one runner pass).
/// </summary>
public sealed record ScheduleDefinition(
    string Name, string SettingKey, string DefaultCron, string? StandingTaskType, MissedTickPolicy DefaultMissedPolicy = MissedTickPolicy.Once)
{
    /// <summary>Setting that overrides <see cref="DefaultMissedPolicy"/> (<c>Once</c> or <c>Skip</c>).</summary>
    public string MissedPolicyKey => $"{Schedules.Section}:MissedPolicy:{Name}";

    /// <summary>Dedupe key of the standing job: timers and pg_cron use the same one, so they never double-enqueue.</summary>
    public string? DedupeKey => StandingTaskType is null ? null : "standing:" + StandingTaskType;

    /// <summary>The <c>triggered_by</c> of the jobs it enqueues.</summary>
    public string TriggeredBy => "schedule:" + Name;
}
