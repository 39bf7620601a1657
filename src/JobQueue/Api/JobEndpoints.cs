using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// The job routes (admin auth): list with filters and keyset pagination, one job with its attempt
/// history, generic enqueue of a registered task type, and retry / cancel / run-now.
/// </summary>
public sealed class JobEndpoints(
    ApiAuthenticator auth, JobQueueStore store, JobReadStore readStore, JobActionStore actionStore, JobHandlerRegistry handlers, AdminAudit audit)
{
    private static readonly JsonElement EmptyPayload = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>
    /// <c>GET admin/jobs?status&amp;taskType&amp;createdAfter&amp;createdBefore&amp;q&amp;limit&amp;cursor</c>:
    /// <c>{jobs, nextCursor}</c>, newest first (<c>q</c>: text the payload contains); each pending job
    /// carries <c>wait</c>, why it is not running (<see cref="JobWait"/>), as in <see cref="GetAsync"/>.
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var filter = JobFilterFields.FromQuery(fields, request.Query);
        var limit = fields.QueryInt(request.Query, "limit", 1, ApiLimits.MaxListLimit) ?? 50;
        var cursorText = fields.QueryString(request.Query, "cursor", 200);
        var cursor = cursorText is null ? null : ListCursor.TryParse(cursorText);
        if (cursorText is not null && cursor is null)
        {
            fields.Error("cursor", "is not a cursor returned by this list");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var jobs = await readStore.ListAsync(new JobListQuery(filter, limit, cursor?.Id), cancellationToken);
        var next = jobs.Count == limit ? new ListCursor(jobs[^1].Id).ToString() : null;
        var waits = await readStore.ExplainWaitAsync(jobs.Where(j => j.Status == JobStatus.Pending).Select(j => j.Id).ToList(), cancellationToken);
        var views = new JsonArray(jobs.Select(j => (JsonNode)View(j, waits.GetValueOrDefault(j.Id))).ToArray());
        return ApiJson.Ok(new { jobs = views, nextCursor = next });
    }

    /// <summary>
    /// <c>GET admin/jobs/{id}</c>: the job (payload, output, <c>outcome</c>, ...) with <c>attemptHistory</c>
    /// and, while it is pending, <c>wait</c>: why it is not running (<see cref="JobWait"/>), else null.
    /// </summary>
    public async Task<IResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        if (ApiRequest.JobId(id) is not { } jobId)
        {
            return ApiProblems.Validation("id", "must be a job id (a UUID)");
        }

        var job = await readStore.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return ApiProblems.NotFound($"no job {jobId}");
        }

        var waits = job.Status == JobStatus.Pending ? await readStore.ExplainWaitAsync([jobId], cancellationToken) : null;
        var view = View(job, waits?.GetValueOrDefault(jobId));
        view["attemptHistory"] = JsonSerializer.SerializeToNode(await readStore.GetAttemptsAsync(jobId, cancellationToken), ApiJson.Options);
        return ApiJson.Ok(view);
    }

    private static JsonObject View(Job job, JobWait? wait)
    {
        var view = JsonSerializer.SerializeToNode(job, ApiJson.Options)!.AsObject();
        view["wait"] = wait is null ? null : JsonSerializer.SerializeToNode(wait, ApiJson.Options);
        return view;
    }

    /// <summary>
    /// <c>POST admin/jobs</c> <c>{taskType, payload, runAt, maxAttempts, dedupeKey, priority, partitionKey}</c>: enqueue a registered
    /// task type after its handler validated the payload; 201 <c>{success, jobId, message}</c>.
    /// </summary>
    public Task<IResult> EnqueueAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "job.enqueue", null, () => EnqueueCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> EnqueueCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var taskType = fields.Text("taskType", ApiLimits.MaxTaskTypeLength, required: true);
        var payload = fields.ObjectValue("payload", ApiLimits.MaxPayloadBytes) ?? EmptyPayload;
        var runAt = fields.Timestamp("runAt");
        var maxAttempts = fields.Number("maxAttempts", 1, 100);
        var dedupeKey = fields.Text("dedupeKey", ApiLimits.MaxDedupeKeyLength);
        var priority = fields.Number("priority", ApiLimits.MinPriority, ApiLimits.MaxPriority);
        var partitionKey = fields.Text("partitionKey", ApiLimits.MaxPartitionKeyLength);
        if (taskType is not null && !handlers.TryGet(taskType, out _))
        {
            fields.Error("taskType", $"'{taskType}' is not a registered task type (registered: {string.Join(", ", handlers.TaskTypes.Order(StringComparer.Ordinal))})");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var payloadErrors = handlers.ValidatePayload(taskType!, payload);
        if (payloadErrors.Count > 0)
        {
            return ApiProblems.Validation(payloadErrors, "payload.");
        }

        var id = await store.EnqueueAsync(
            new EnqueueRequest(taskType!, payload, runAt, maxAttempts, dedupeKey, "admin:" + actor, ApiRequest.RequestId(request), priority, partitionKey),
            cancellationToken);
        AdminAudit.Target(request, id.ToString());
        AdminAudit.Detail(request, taskType);
        return ApiJson.Ok(new { success = true, jobId = id, message = $"{taskType} job enqueued" }, StatusCodes.Status201Created);
    }

    /// <summary><c>POST admin/jobs/{id}/retry</c>: a failed or cancelled job runs again from attempt 1 (409 otherwise).</summary>
    public Task<IResult> RetryAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        ActAsync(request, id, "retry", "failed or cancelled", (jobId, actor, _) => actionStore.RetryAsync(jobId, actor, cancellationToken), cancellationToken);

    /// <summary><c>POST admin/jobs/{id}/cancel</c> <c>{reason}</c>: a pending or processing job is cancelled (409 otherwise).</summary>
    public Task<IResult> CancelAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        ActAsync(request, id, "cancel", "pending or processing", (jobId, actor, reason) => actionStore.CancelAsync(jobId, actor, reason, cancellationToken), cancellationToken);

    /// <summary><c>POST admin/jobs/{id}/run-now</c>: a pending job becomes due now (409 otherwise).</summary>
    public Task<IResult> RunNowAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        ActAsync(request, id, "run-now", "pending", (jobId, _, _) => actionStore.RunNowAsync(jobId, cancellationToken), cancellationToken);

    private Task<IResult> ActAsync(
        HttpRequest request, string id, string action, string allowedStates,
        Func<Guid, string, string?, Task<JobActionResult>> act, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "job." + action, id, () => ActCoreAsync(request, id, action, allowedStates, act, cancellationToken), cancellationToken);

    private async Task<IResult> ActCoreAsync(
        HttpRequest request, string id, string action, string allowedStates,
        Func<Guid, string, string?, Task<JobActionResult>> act, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var reason = fields.Text("reason", ApiLimits.MaxReasonLength);
        AdminAudit.Detail(request, reason is null ? null : "reason: " + reason);
        if (ApiRequest.JobId(id) is not { } jobId)
        {
            fields.Error("id", "must be a job id (a UUID)");
        }
        else if (!fields.HasErrors)
        {
            var result = await act(jobId, "admin:" + actor, reason);
            return result.Outcome switch
            {
                JobActionOutcome.Ok => ApiJson.Ok(new { success = true, jobId, status = result.Status, message = $"{action}: job is now {result.Status}" }),
                JobActionOutcome.NotFound => ApiProblems.NotFound($"no job {jobId}"),
                _ => ApiProblems.Conflict($"cannot {action} a job that is {result.Status} (only {allowedStates} jobs)"),
            };
        }

        return fields.Problem();
    }

    /// <summary>The keyset cursor: base64url of the last row's id (the list is ordered by id).</summary>
    private sealed record ListCursor(Guid Id)
    {
        public override string ToString() => Base64Url.EncodeToString(Id.ToByteArray(bigEndian: true));

        public static ListCursor? TryParse(string text) =>
            Base64Url.IsValid(text, out var length) && length == 16
                ? new ListCursor(new Guid(Base64Url.DecodeFromChars(text), bigEndian: true))
                : null;
    }
}
