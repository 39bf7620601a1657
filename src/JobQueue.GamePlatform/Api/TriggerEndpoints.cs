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
/// The body's types are checked by the route's request record; the values by the job's own handler, so
/// that what is accepted here is what the handler runs.
/// </summary>
public sealed class TriggerEndpoints(JobQueueStore store, JobHandlerRegistry handlers)
{
    public const string SyncTaskType = GamePlatformSyncHandler.Name;
    public const string TotalsSweepTaskType = GamePlatformTotalsSweepHandler.Name;

    public Task<IResult> TriggerSyncAsync(ApiCall call, TriggerSyncRequest trigger) =>
        TriggerAsync(call, SyncTaskType, Payload(trigger.DryRun, trigger.CoachId));

    public Task<IResult> TriggerTotalsSweepAsync(ApiCall call, TriggerTotalsSweepRequest trigger)
    {
        var payload = Payload(trigger.DryRun, trigger.CoachId);
        if (trigger.BatchSize is { } batchSize)
        {
            payload["batchSize"] = batchSize;
        }

        return TriggerAsync(call, TotalsSweepTaskType, payload);
    }

    private static JsonObject Payload(bool dryRun, string? coachId)
    {
        var payload = new JsonObject { ["dryRun"] = dryRun };
        if (coachId is not null)
        {
            payload["coachId"] = coachId;
        }

        return payload;
    }

    private async Task<IResult> TriggerAsync(ApiCall call, string taskType, JsonObject payload)
    {
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
            new EnqueueRequest(taskType, element, TriggeredBy: "admin:" + call.Actor, RequestId: call.RequestId), call.Aborted);
        call.AuditTarget = id.ToString();
        call.AuditDetail = element.GetRawText();
        return ApiJson.Ok(new JobEnqueuedResponse(true, id, $"{taskType} job enqueued"));
    }
}

/// <summary>The body of <c>POST admin/jobs/trigger-sync</c>: a dry run, and one coach or all.</summary>
public sealed record TriggerSyncRequest(bool DryRun, string? CoachId) : IApiRequest<TriggerSyncRequest>
{
    public static TriggerSyncRequest Bind(RequestFields fields, IQueryCollection query) =>
        new(fields.Flag("dryRun") ?? false, fields.Text("coachId", ApiLimits.MaxCoachIdLength));
}

/// <summary>The body of <c>POST admin/jobs/trigger-totals-sweep</c>: a dry run, one coach or all, and the batch size (1..1000).</summary>
public sealed record TriggerTotalsSweepRequest(bool DryRun, string? CoachId, int? BatchSize) : IApiRequest<TriggerTotalsSweepRequest>
{
    public static TriggerTotalsSweepRequest Bind(RequestFields fields, IQueryCollection query) =>
        new(fields.Flag("dryRun") ?? false, fields.Text("coachId", ApiLimits.MaxCoachIdLength), fields.Number("batchSize", 1, 1000));
}
