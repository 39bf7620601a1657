using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>POST admin/jobs/bulk-retry</c> and <c>POST admin/jobs/bulk-cancel</c>
/// <c>{status, taskType, createdAfter, createdBefore, q, dryRun, reason}</c> (admin auth): retry every
/// failed or cancelled job, or cancel every pending or processing job, that matches the filter, at most
/// <see cref="JobBulkStore.MaxJobsPerCall"/> per call. <c>dryRun: true</c> only counts (what the
/// dashboard's confirmation shows). <c>{action, matched, changed, limit, limited, dryRun}</c>.
/// </summary>
public sealed class JobBulkEndpoints(ApiAuthenticator auth, JobBulkStore store, AdminAudit audit)
{
    public Task<IResult> RetryAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "jobs.bulk-retry", null, () => ActAsync(request, "retry", cancellationToken), cancellationToken);

    public Task<IResult> CancelAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "jobs.bulk-cancel", null, () => ActAsync(request, "cancel", cancellationToken), cancellationToken);

    private async Task<IResult> ActAsync(HttpRequest request, string action, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var filter = JobFilterFields.FromBody(fields);
        var dryRun = fields.Flag("dryRun") ?? false;
        var reason = action == "cancel" ? fields.Text("reason", ApiLimits.MaxReasonLength) : null;
        if (dryRun)
        {
            AdminAudit.Skip(request);
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        AdminAudit.Target(request, filter.Describe());
        var result = action == "retry"
            ? await store.RetryAsync(filter, dryRun, "admin:" + actor, cancellationToken)
            : await store.CancelAsync(filter, dryRun, "admin:" + actor, reason, cancellationToken);
        AdminAudit.Detail(request, $"matched {result.Matched}, changed {result.Changed}" + (reason is null ? "" : $"; reason: {reason}"));
        return ApiJson.Ok(new { action, result.Matched, result.Changed, result.Limit, result.Limited, dryRun });
    }
}
