using System.Text.Json.Serialization;
using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>POST admin/jobs/bulk-retry</c> and <c>POST admin/jobs/bulk-cancel</c>
/// <c>{status, taskType, createdAfter, createdBefore, q, dryRun, reason}</c> (admin auth): retry every
/// failed or cancelled job, or cancel every pending or processing job, that matches the filter, at most
/// <see cref="JobBulkStore.MaxJobsPerCall"/> per call. <c>dryRun: true</c> only counts (what the
/// dashboard's confirmation shows; not recorded in the audit log). <c>{action, matched, changed, limit, limited, dryRun}</c>.
/// </summary>
public sealed class JobBulkEndpoints(JobBulkStore store)
{
    public async Task<IResult> RetryAsync(ApiCall call, BulkRetryRequest bulk) =>
        Answer(call, "retry", bulk.DryRun, null, await store.RetryAsync(bulk.Filter, bulk.DryRun, "admin:" + call.Actor, call.Aborted));

    public async Task<IResult> CancelAsync(ApiCall call, BulkCancelRequest bulk) =>
        Answer(call, "cancel", bulk.DryRun, bulk.Reason,
            await store.CancelAsync(bulk.Filter, bulk.DryRun, "admin:" + call.Actor, bulk.Reason, call.Aborted));

    private static IResult Answer(ApiCall call, string action, bool dryRun, string? reason, BulkActionResult result)
    {
        call.AuditDetail = $"matched {result.Matched}, changed {result.Changed}" + (reason is null ? "" : $"; reason: {reason}");
        return ApiJson.Ok(new BulkActionResponse(action, result.Matched, result.Changed, result.Limit, result.Limited, dryRun));
    }
}

/// <summary>The body of <c>POST admin/jobs/bulk-retry</c>: which failed or cancelled jobs, or only count them (<c>dryRun</c>).</summary>
public sealed record BulkRetryRequest(
    string? Status, string? TaskType, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, string? Q, bool DryRun)
    : IApiRequest<BulkRetryRequest>, IAuditedRequest
{
    [JsonIgnore]
    public JobFilter Filter => new(Status, TaskType, CreatedAfter, CreatedBefore, Q);

    string? IAuditedRequest.AuditTarget => Filter.Describe();

    bool IAuditedRequest.IsAction => !DryRun;

    public static BulkRetryRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var filter = JobFilterFields.FromBody(fields);
        return new(filter.Status, filter.TaskType, filter.CreatedAfter, filter.CreatedBefore, filter.PayloadText, fields.Flag("dryRun") ?? false);
    }
}

/// <summary>The body of <c>POST admin/jobs/bulk-cancel</c>: which pending or processing jobs, why, or only count them (<c>dryRun</c>).</summary>
public sealed record BulkCancelRequest(
    string? Status, string? TaskType, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, string? Q, bool DryRun, string? Reason)
    : IApiRequest<BulkCancelRequest>, IAuditedRequest
{
    [JsonIgnore]
    public JobFilter Filter => new(Status, TaskType, CreatedAfter, CreatedBefore, Q);

    string? IAuditedRequest.AuditTarget => Filter.Describe();

    bool IAuditedRequest.IsAction => !DryRun;

    public static BulkCancelRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var filter = JobFilterFields.FromBody(fields);
        return new(filter.Status, filter.TaskType, filter.CreatedAfter, filter.CreatedBefore, filter.PayloadText, fields.Flag("dryRun") ?? false,
            fields.Text("reason", ApiLimits.MaxReasonLength));
    }
}

/// <summary>What a bulk action matched and changed (at most <c>limit</c> per call; <c>limited</c>: more matched).</summary>
public sealed record BulkActionResponse(string Action, long Matched, int Changed, int Limit, bool Limited, bool DryRun);
