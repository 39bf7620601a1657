using System.Text.Json;
using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>
/// Reads the queue's health and feeds the gauges of <see cref="JobQueueMetrics"/> (due pending
/// jobs, oldest due pending age). Called by the health endpoint and after every scheduled runner
/// pass, so that the "oldest pending job too old" alert sees a fresh value at least once a minute.
/// </summary>
public sealed class QueueGaugeSampler(JobQueueStore store, JobQueueMetrics metrics)
{
    public async Task<JsonElement> SampleAsync(int recentLimit, CancellationToken cancellationToken)
    {
        var health = await store.GetHealthAsync(recentLimit, cancellationToken);
        metrics.SampledQueue(health.GetProperty("duePending").GetInt64(), health.GetProperty("oldestPendingAgeSeconds").GetDouble());
        return health;
    }
}
