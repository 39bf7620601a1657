using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/job-queue/health</c>: counts by status, processing enabled, oldest pending age,
/// stuck jobs, recent failures and runs (admin auth). Also samples the queue gauges.
/// </summary>
public sealed class HealthEndpoint(ApiAuthenticator auth, QueueGaugeSampler gauges)
{
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var health = await gauges.HealthAsync(10, cancellationToken);
        return ApiJson.Ok(health);
    }
}
