using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// The job routes (admin auth): list with filters and keyset pagination, one job with its attempt
/// history, generic enqueue of a registered task type, and retry / cancel / run-now.
/// </summary>
public sealed class JobEndpoints(
    JobQueueStore store, JobReadStore readStore, JobActionStore actionStore, JobHandlerRegistry handlers)
{
    /// <summary>
    /// <c>GET admin/jobs?status&amp;taskType&amp;createdAfter&amp;createdBefore&amp;q&amp;limit&amp;cursor</c>:
    /// <c>{jobs, nextCursor}</c>, newest first (<c>q</c>: text the payload contains); each pending job
    /// carries <c>wait</c>, why it is not running (<see cref="JobWait"/>), as in <see cref="GetAsync"/>.
    /// </summary>
    public async Task<IResult> ListAsync(ApiCall call, JobListRequest query)
    {
        var cancellationToken = call.Aborted;
        var after = query.Cursor is null ? null : ListCursor.TryParse(query.Cursor);
        var jobs = await readStore.ListAsync(new JobListQuery(query.Filter, query.Limit, after?.Id), cancellationToken);
        var next = jobs.Count == query.Limit ? new ListCursor(jobs[^1].Id).ToString() : null;
        var waits = await readStore.ExplainWaitAsync(jobs.Where(j => j.Status == JobStatus.Pending).Select(j => j.Id).ToList(), cancellationToken);
        return ApiJson.Ok(new JobListResponse(jobs.Select(j => JobView.Of(j, waits.GetValueOrDefault(j.Id))).ToList(), next));
    }

    /// <summary>
    /// <c>GET admin/jobs/{id}</c>: the job (payload, output, <c>outcome</c>, ...) with <c>attemptHistory</c>
    /// and, while it is pending, <c>wait</c>: why it is not running (<see cref="JobWait"/>), else null.
    /// </summary>
    public async Task<IResult> GetAsync(ApiCall call)
    {
        var cancellationToken = call.Aborted;
        if (ApiRequest.JobId(call.RouteValue) is not { } jobId)
        {
            return ApiProblems.Validation("id", "must be a job id (a UUID)");
        }

        var job = await readStore.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return ApiProblems.NotFound($"no job {jobId}");
        }

        var waits = job.Status == JobStatus.Pending ? await readStore.ExplainWaitAsync([jobId], cancellationToken) : null;
        var view = JobView.Of(job, waits?.GetValueOrDefault(jobId));
        return ApiJson.Ok(JobDetail.Of(view, await readStore.GetAttemptsAsync(jobId, cancellationToken)));
    }

    /// <summary>
    /// <c>POST admin/jobs</c> <c>{taskType, payload, runAt, maxAttempts, dedupeKey, priority, partitionKey}</c>: enqueue a registered
    /// task type after its handler validated the payload; 201 <c>{success, jobId, message}</c>.
    /// </summary>
    public async Task<IResult> EnqueueAsync(ApiCall call, EnqueueJobRequest job)
    {
        if (!handlers.TryGet(job.TaskType, out _))
        {
            return ApiProblems.Validation("taskType",
                $"'{job.TaskType}' is not a registered task type (registered: {string.Join(", ", handlers.TaskTypes.Order(StringComparer.Ordinal))})");
        }

        var payloadErrors = handlers.ValidatePayload(job.TaskType, job.Payload);
        if (payloadErrors.Count > 0)
        {
            return ApiProblems.Validation(payloadErrors, "payload.");
        }

        var id = await store.EnqueueAsync(
            new EnqueueRequest(job.TaskType, job.Payload, job.RunAt, job.MaxAttempts, job.DedupeKey, "admin:" + call.Actor, call.RequestId,
                job.Priority, job.PartitionKey),
            call.Aborted);
        call.AuditTarget = id.ToString();
        call.AuditDetail = job.TaskType;
        return ApiJson.Ok(new JobEnqueuedResponse(true, id, $"{job.TaskType} job enqueued"), StatusCodes.Status201Created);
    }

    /// <summary><c>POST admin/jobs/{id}/retry</c>: a failed or cancelled job runs again from attempt 1 (409 otherwise).</summary>
    public Task<IResult> RetryAsync(ApiCall call, JobActionRequest action) =>
        ActAsync(call, action, "retry", "failed or cancelled", (jobId, actor, _) => actionStore.RetryAsync(jobId, actor, call.Aborted));

    /// <summary><c>POST admin/jobs/{id}/cancel</c> <c>{reason}</c>: a pending or processing job is cancelled (409 otherwise).</summary>
    public Task<IResult> CancelAsync(ApiCall call, JobActionRequest action) =>
        ActAsync(call, action, "cancel", "pending or processing", (jobId, actor, reason) => actionStore.CancelAsync(jobId, actor, reason, call.Aborted));

    /// <summary><c>POST admin/jobs/{id}/run-now</c>: a pending job becomes due now (409 otherwise).</summary>
    public Task<IResult> RunNowAsync(ApiCall call, JobActionRequest action) =>
        ActAsync(call, action, "run-now", "pending", (jobId, _, _) => actionStore.RunNowAsync(jobId, call.Aborted));

    private static async Task<IResult> ActAsync(
        ApiCall call, JobActionRequest request, string action, string allowedStates, Func<Guid, string, string?, Task<JobActionResult>> act)
    {
        call.AuditDetail = request.Reason is null ? null : "reason: " + request.Reason;
        if (ApiRequest.JobId(call.RouteValue) is not { } jobId)
        {
            return ApiProblems.Validation("id", "must be a job id (a UUID)");
        }

        var result = await act(jobId, "admin:" + call.Actor, request.Reason);
        return result.Outcome switch
        {
            JobActionOutcome.Ok => ApiJson.Ok(new JobActionResponse(true, jobId, result.Status, $"{action}: job is now {result.Status}")),
            JobActionOutcome.NotFound => ApiProblems.NotFound($"no job {jobId}"),
            _ => ApiProblems.Conflict($"cannot {action} a job that is {result.Status} (only {allowedStates} jobs)"),
        };
    }

    /// <summary>The keyset cursor: base64url of the last row's id (the list is ordered by id).</summary>
    public sealed record ListCursor(Guid Id)
    {
        public override string ToString() => Base64Url.EncodeToString(Id.ToByteArray(bigEndian: true));

        public static ListCursor? TryParse(string text) =>
            Base64Url.IsValid(text, out var length) && length == 16
                ? new ListCursor(new Guid(Base64Url.DecodeFromChars(text), bigEndian: true))
                : null;
    }
}

/// <summary>The query of <c>GET admin/jobs</c>: the filter, the page size and the previous page's <c>nextCursor</c>.</summary>
public sealed record JobListRequest(
    string? Status, string? TaskType, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, string? Q, int Limit, string? Cursor)
    : IApiRequest<JobListRequest>
{
    [JsonIgnore]
    public JobFilter Filter => new(Status, TaskType, CreatedAfter, CreatedBefore, Q);

    public static JobListRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var filter = JobFilterFields.FromQuery(fields, query);
        var limit = fields.QueryInt(query, "limit", 1, ApiLimits.MaxListLimit) ?? 50;
        var cursorText = fields.QueryString(query, "cursor", 200);
        var cursor = cursorText is null ? null : JobEndpoints.ListCursor.TryParse(cursorText);
        if (cursorText is not null && cursor is null)
        {
            fields.Error("cursor", "is not a cursor returned by this list");
        }

        return new(filter.Status, filter.TaskType, filter.CreatedAfter, filter.CreatedBefore, filter.PayloadText, limit, cursor?.ToString());
    }
}

/// <summary>The body of <c>POST admin/jobs</c>: a registered task type, its payload, and how it is queued.</summary>
public sealed record EnqueueJobRequest(
    string TaskType, JsonElement Payload, DateTimeOffset? RunAt, int? MaxAttempts, string? DedupeKey, int? Priority, string? PartitionKey)
    : IApiRequest<EnqueueJobRequest>
{
    private static readonly JsonElement EmptyPayload = JsonDocument.Parse("{}").RootElement.Clone();

    public static EnqueueJobRequest Bind(RequestFields fields, IQueryCollection query) => new(
        fields.Text("taskType", ApiLimits.MaxTaskTypeLength, required: true) ?? "",
        fields.ObjectValue("payload", ApiLimits.MaxPayloadBytes) ?? EmptyPayload,
        fields.Timestamp("runAt"),
        fields.Number("maxAttempts", 1, 100),
        fields.Text("dedupeKey", ApiLimits.MaxDedupeKeyLength),
        fields.Number("priority", ApiLimits.MinPriority, ApiLimits.MaxPriority),
        fields.Text("partitionKey", ApiLimits.MaxPartitionKeyLength));
}

/// <summary>The body of <c>POST admin/jobs/{id}/retry|cancel|run-now</c>: an optional <c>reason</c> (recorded with a cancel).</summary>
public sealed record JobActionRequest(string? Reason) : IApiRequest<JobActionRequest>
{
    public static JobActionRequest Bind(RequestFields fields, IQueryCollection query) => new(fields.Text("reason", ApiLimits.MaxReasonLength));
}

/// <summary>A job was enqueued: its id.</summary>
public sealed record JobEnqueuedResponse(bool Success, Guid JobId, string Message);

/// <summary>A job action was done: the job's status now.</summary>
public sealed record JobActionResponse(bool Success, Guid JobId, string? Status, string Message);
