using System.Text.Json;
using System.Text.Json.Nodes;
using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>POST admin/jobs/trigger-sync</c> <c>{dryRun, coachId}</c> and <c>POST admin/jobs/trigger-totals-sweep</c>
/// <c>{dryRun, coachId, batchSize}</c>: enqueue the Game Platform jobs; <c>{success, jobId, message}</c> (admin auth).
/// </summary>
public sealed class TriggerEndpoints(ApiAuthenticator auth, JobQueueStore store)
{
    public const string SyncTaskType = "game_platform_sync";
    public const string TotalsSweepTaskType = "game_platform_totals_sweep";

    public Task<IResult> TriggerSyncAsync(HttpRequest request, CancellationToken cancellationToken) =>
        TriggerAsync(request, SyncTaskType, withBatchSize: false, cancellationToken);

    public Task<IResult> TriggerTotalsSweepAsync(HttpRequest request, CancellationToken cancellationToken) =>
        TriggerAsync(request, TotalsSweepTaskType, withBatchSize: true, cancellationToken);

    private async Task<IResult> TriggerAsync(HttpRequest request, string taskType, bool withBatchSize, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var payload = new JsonObject { ["dryRun"] = fields.Flag("dryRun") ?? false };
        if (fields.Text("coachId", ApiLimits.MaxCoachIdLength) is { } coachId)
        {
            payload["coachId"] = coachId;
        }

        if (withBatchSize && fields.Number("batchSize", 1, 1000) is { } batchSize)
        {
            payload["batchSize"] = batchSize;
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var id = await store.EnqueueAsync(
            new EnqueueRequest(taskType, JsonSerializer.SerializeToElement(payload), TriggeredBy: "admin:" + actor,
                RequestId: ApiRequest.RequestId(request)),
            cancellationToken);
        return ApiJson.Ok(new { success = true, jobId = id, message = $"{taskType} job enqueued" });
    }
}
