using Microsoft.Extensions.Logging;

namespace JobQueue.Maintenance;

/// <summary>
/// Lease rescue on the maintainer's schedule (claims rescue too, but only when some runner claims):
/// jobs whose lease expired (their runner died, froze or lost the database) go back to pending at their
/// original place in the queue, or to failed when that was their last attempt (reported by
/// <see cref="FinalFailureReporter"/>). Works in batches until none is left.
/// </summary>
public sealed partial class LeaseRescuer(MaintenanceStore store, ILogger<LeaseRescuer> logger)
{
    public const int BatchSize = 100;

    /// <summary>The most jobs one round rescues (the rest wait for the next round).</summary>
    public const int MaxPerRound = 10_000;

    public async Task<int> RescueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int rescued;
        do
        {
            rescued = await store.RescueExpiredAsync(BatchSize, cancellationToken);
            total += rescued;
        }
        while (rescued == BatchSize && total < MaxPerRound);

        if (total > 0)
        {
            LogRescued(logger, total);
        }

        return total;
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning,
        Message = "Lease rescue: {Rescued} jobs whose runner did not finish in time went back to the queue (or failed, on their last attempt)")]
    private static partial void LogRescued(ILogger logger, int rescued);
}
