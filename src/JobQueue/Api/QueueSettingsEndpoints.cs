using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary><c>GET</c>/<c>PUT admin/job-queue/settings</c> <c>{processingEnabled, pausedReason}</c>: pause and resume (admin auth).</summary>
public sealed class QueueSettingsEndpoints(ApiAuthenticator auth, QueueSettingsStore store, AdminAudit audit)
{
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        return caller.Succeeded ? ApiJson.Ok(await store.GetSettingsAsync(cancellationToken)) : caller.Failure!;
    }

    public Task<IResult> PutAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "settings.update", "processing", () => PutCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> PutCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var enabled = fields.Flag("processingEnabled");
        var reason = fields.Text("pausedReason", ApiLimits.MaxReasonLength);
        if (enabled is null && !fields.HasErrors)
        {
            fields.Error("processingEnabled", "is required (true to resume, false to pause)");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        AdminAudit.Detail(request, enabled!.Value ? "resumed" : "paused" + (reason is null ? "" : ": " + reason));
        return ApiJson.Ok(await store.SetSettingsAsync(enabled.Value, reason, "admin:" + actor, cancellationToken));
    }
}
