using System.Text.Json;
using System.Text.Json.Nodes;
using JobQueue.Handlers;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>POST admin/jobs/trigger-sync</c> <c>{dryRun, coachId}</c> and <c>POST admin/jobs/trigger-totals-sweep</c>
/// <c>{dryRun, coachId, batchSize}</c>: enqueue the Game Platform jobs; <c>{success, jobId, message}</c> (admin auth).
/// The body's types are checked here; the values by the job's own handler, so that what is accepted
/// here is what the handler runs.
/// </summary>
public sealed class TriggerEndpoints(ApiAuthenticator auth, JobQueueStore store, JobHandlerRegistry handlers, AdminAudit audit)
{
    public const string SyncTaskType = GamePlatformSyncHandler.Name;
    public const string TotalsSweepTaskType = GamePlatformTotalsSweepHandler.Name;

    public Task<IResult> TriggerSyncAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "job.trigger-sync", null,
            () => TriggerAsync(request, SyncTaskType, withBatchSize: false, cancellationToken), cancellationToken);

    public Task<IResult> TriggerTotalsSweepAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "job.trigger-totals-sweep", null,
            () => TriggerAsync(request, TotalsSweepTaskType, withBatchSize: true, cancellationToken), cancellationToken);

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

        var element = JsonSerializer.SerializeToElement(payload);
        if (!handlers.TryGet(taskType, out var handler))
        {
            return ApiProblems.Unavailable($"no handler is registered for {taskType}");
        }

        if (handler.ValidatePayload(element) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(errors, "");
        }

        var id = await store.EnqueueAsync(
            new EnqueueRequest(taskType, element, TriggeredBy: "admin:" + actor,
                RequestId: ApiRequest.RequestId(request)),
            cancellationToken);
        AdminAudit.Target(request, id.ToString());
        AdminAudit.Detail(request, element.GetRawText());
        return ApiJson.Ok(new { success = true, jobId = id, message = $"{taskType} job enqueued" });
    }
}
