using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/job-queue/health</c>: counts by status, processing enabled, oldest pending age,
/// stuck jobs, recent failures and runs, and the task types paused right now (an operator's or a
/// handler's pause after a 429) (admin auth). Also samples the queue gauges.
/// </summary>
public sealed class HealthEndpoint(QueueGaugeSampler gauges, TaskLimitStore taskLimits)
{
    public async Task<IResult> GetAsync(ApiCall call)
    {
        var health = JsonSerializer.SerializeToNode(await gauges.HealthAsync(10, call.Aborted))!.AsObject();
        health["pausedTaskTypes"] = JsonSerializer.SerializeToNode(
            (await taskLimits.GetAsync(call.Aborted)).Where(l => l.PausedUntil is not null)
                .Select(l => new HealthPausedTaskType(l.TaskType, l.PausedUntil, l.PausedReason, l.Source)),
            ApiJson.Options);
        return ApiJson.Ok(health);
    }
}
