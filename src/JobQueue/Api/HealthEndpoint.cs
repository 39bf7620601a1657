using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/job-queue/health</c>: counts by status, processing enabled, oldest pending age,
/// stuck jobs, recent failures and runs (admin auth). Also samples the queue gauges.
/// </summary>
public sealed class HealthEndpoint(ApiAuthenticator auth, JobQueueStore store, JobQueueMetrics metrics)
{
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var health = await store.GetHealthAsync(10, cancellationToken);
        metrics.SampledQueue(health.GetProperty("duePending").GetInt64(), health.GetProperty("oldestPendingAgeSeconds").GetDouble());
        return ApiJson.Ok(health);
    }
}
