using System.Text.Json;
using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>
/// Feeds the gauges of <see cref="JobQueueMetrics"/> (due pending jobs, oldest due pending age): on
/// the upkeep leader's own schedule (<see cref="JobQueue.Maintenance.QueueMaintainer"/>, whether or
/// not any runner runs), after every scheduled runner pass (a read of the partial index of pending
/// jobs, so the "oldest pending job too old" alert sees fresh values at a cost independent of table
/// size), after passes requested from outside (<c>POST jobs/run</c>, at most every
/// <see cref="OutsidePassInterval"/>: the alert's data when the runner timer is off), and from every
/// health read.
/// </summary>
public sealed class QueueGaugeSampler(QueueHealthStore store, JobQueueMetrics metrics)
{
    public static readonly TimeSpan OutsidePassInterval = TimeSpan.FromSeconds(30);

    /// <summary>A new sample unless the last one is younger than <see cref="OutsidePassInterval"/>.</summary>
    public Task SampleIfDueAsync(CancellationToken cancellationToken) =>
        metrics.SampleAge < OutsidePassInterval ? Task.CompletedTask : SampleAsync(cancellationToken);

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var (duePending, oldestAge) = await store.GetPendingGaugesAsync(cancellationToken);
        metrics.SampledQueue(duePending, oldestAge);
    }

    /// <summary>The queue's health (see <c>job_queue_health</c>); its pending figures update the gauges too.</summary>
    public async Task<JsonElement> HealthAsync(int recentLimit, CancellationToken cancellationToken)
    {
        var health = await store.GetHealthAsync(recentLimit, cancellationToken);
        metrics.SampledQueue(health.GetProperty("duePending").GetInt64(), health.GetProperty("oldestPendingAgeSeconds").GetDouble());
        return health;
    }
}
