using Microsoft.Extensions.Logging;

namespace JobQueue.Maintenance;

/// <summary>
/// The held flag's safety net (migration 0200), on the maintainer's schedule: a job is flagged held
/// when its task type has limits or a pause, and the claim's main walk reads only jobs not held. An
/// enqueue that raced a change of the type's limits can leave a job flagged held after the limits
/// were cleared, which no claim would ever take; the repair clears such flags (and sets those left
/// unset on a limited type). It reads one index entry per task type with pending jobs, not the backlog.
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
        Message = "Held flag repair: {Repaired} jobs were flagged against their task type's limits (an enqueue raced a change of the limits) and were corrected")]
    private static partial void LogRepaired(ILogger logger, int repaired);
}
