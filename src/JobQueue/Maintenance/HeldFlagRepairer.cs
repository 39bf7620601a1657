using Microsoft.Extensions.Logging;

namespace JobQueue.Maintenance;

/// <summary>
/// The held flag's safety net (jobqueue.job_queue_repair_held,
/// Database/Schema/functions/flow_control/job_queue_repair_held.sql), on the maintainer's schedule:
/// a job is flagged held
/// when its task type has limits or a pause; the claim's main walk reads only jobs not held, the
/// limited types' loop only held ones, so a stale flag keeps a job from ever being claimed. The enqueue
/// functions and the limit changes keep the flag right under a per-type advisory lock; what bypasses
/// them (an operator's INSERT or UPDATE, a caller in REPEATABLE READ) can leave it stale. The repair
/// finds the stale task types cheaply (the held index's types, the processing jobs, the first 1,000 due
/// jobs of each priority level) and rewrites them; it never reads the whole backlog.
/// </summary>
public sealed partial class HeldFlagRepairer(MaintenanceStore store, ILogger<HeldFlagRepairer> logger)
{
    /// <summary>Repairs every stale flag; the number of jobs changed (normally 0).</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var repaired = await store.RepairHeldFlagsAsync(cancellationToken);
        if (repaired > 0)
        {
            LogRepaired(logger, repaired);
        }

        return repaired;
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Warning,
        Message = "Held flag repair: {Repaired} jobs were flagged against their task type's limits (a write that bypassed the enqueue functions) and were corrected")]
    private static partial void LogRepaired(ILogger logger, int repaired);
}
