using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary><c>GET</c>/<c>PUT admin/job-queue/settings</c> <c>{processingEnabled, pausedReason}</c>: pause and resume (admin auth).</summary>
public sealed class QueueSettingsEndpoints(QueueSettingsStore store)
{
    public async Task<IResult> GetAsync(ApiCall call) => ApiJson.Ok(await store.GetSettingsAsync(call.Aborted));

    public async Task<IResult> PutAsync(ApiCall call, QueueSettingsRequest settings)
    {
        call.AuditDetail = settings.ProcessingEnabled ? "resumed" : "paused" + (settings.PausedReason is null ? "" : ": " + settings.PausedReason);
        return ApiJson.Ok(await store.SetSettingsAsync(settings.ProcessingEnabled, settings.PausedReason, "admin:" + call.Actor, call.Aborted));
    }
}

/// <summary>The body of <c>PUT admin/job-queue/settings</c>: false pauses processing (with a reason), true resumes it.</summary>
public sealed record QueueSettingsRequest(bool ProcessingEnabled, string? PausedReason) : IApiRequest<QueueSettingsRequest>
{
    public static QueueSettingsRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var enabled = fields.Flag("processingEnabled");
        var reason = fields.Text("pausedReason", ApiLimits.MaxReasonLength);
        if (enabled is null && !fields.HasErrors)
        {
            fields.Error("processingEnabled", "is required (true to resume, false to pause)");
        }

        return new(enabled ?? false, reason);
    }
}
