using System.Text.Json;
using System.Text.Json.Nodes;
using JobQueue.Pipelines;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Api;

/// <summary>
/// <c>POST admin/jobs/enqueue-stats-job</c> <c>{triggeredBy: post-match | admin | cron, matchId, requestId,
/// userId, retryOf}</c> (admin auth): enqueues the stats pipeline; <c>{success, jobId, joined, message}</c>.
/// A post-match trigger that arrives while a post-match run is still pending joins it (<c>joined</c>);
/// <c>retryOf</c> names a finished stats job this new one retries. 503 while no steps are configured.
/// <c>GET admin/stats-jobs?limit=</c>: the status table of the latest runs, newest first (<see cref="StatsRun"/>).
/// </summary>
public sealed partial class StatsJobEndpoints(
    ApiAuthenticator auth, JobQueueStore store, JobReadStore readStore, JobHandlerRegistry handlers, IOptions<StatsUpdateOptions> options,
    AdminAudit audit, ILogger<StatsJobEndpoints> logger)
{
    public const string PostMatchJoinKey = "post-match";

    public Task<IResult> EnqueueAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "job.enqueue-stats", null, () => EnqueueCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> EnqueueCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var payload = new JsonObject();
        var triggeredBy = fields.Text("triggeredBy", 20, required: true);
        if (triggeredBy is not null && !StatsUpdateHandler.Triggers.Contains(triggeredBy, StringComparer.Ordinal))
        {
            fields.Error("triggeredBy", "must be one of " + string.Join(", ", StatsUpdateHandler.Triggers));
        }

        payload["triggeredBy"] = triggeredBy;
        payload["matchId"] = fields.TextOrInteger("matchId", 200);
        payload["requestId"] = fields.Text("requestId", 200);
        payload["userId"] = fields.TextOrInteger("userId", 200);
        var retryOfText = fields.Text("retryOf", 100);
        Guid? retryOf = null;
        if (retryOfText is not null)
        {
            retryOf = ApiRequest.JobId(retryOfText);
            if (retryOf is null)
            {
                fields.Error("retryOf", "must be the id (a UUID) of a stats_update job");
            }
            else if (await RetryProblemAsync(retryOf.Value, cancellationToken) is { } problem)
            {
                fields.Error("retryOf", problem);
            }

            payload["retryOf"] = retryOfText;
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        if (StatsUpdateSteps.Read(options.Value).Steps.Count == 0)
        {
            return ApiProblems.Unavailable("the stats pipeline has no steps: set Pipelines:StatsUpdate:Steps");
        }

        foreach (var (key, value) in payload.ToList().Where(p => p.Value is null))
        {
            payload.Remove(key);
        }

        var element = JsonSerializer.SerializeToElement(payload);
        if (handlers.ValidatePayload(StatsUpdateHandler.Name, element) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(errors, "");
        }

        var enqueue = new EnqueueRequest(StatsUpdateHandler.Name, element, TriggeredBy: $"{triggeredBy}:admin:{actor}",
            RequestId: (string?)payload["requestId"] ?? ApiRequest.RequestId(request));
        var (id, joined) = triggeredBy == "post-match" && retryOf is null
            ? await store.EnqueueOrJoinAsync(enqueue, PostMatchJoinKey, cancellationToken)
            : (await store.EnqueueAsync(enqueue, cancellationToken), false);
        LogEnqueued(logger, id, triggeredBy!, joined, actor);
        AdminAudit.Target(request, id.ToString());
        AdminAudit.Detail(request, $"{triggeredBy}{(joined ? ", joined the pending run" : "")}{(retryOf is null ? "" : $", retry of {retryOf}")}");
        return ApiJson.Ok(new
        {
            success = true,
            jobId = id,
            joined,
            message = joined ? $"joined the pending stats_update job {id}" : $"stats_update job enqueued ({triggeredBy})",
        });
    }

    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var limit = fields.QueryInt(request.Query, "limit", 1, ApiLimits.MaxListLimit) ?? 20;
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var jobs = await readStore.ListAsync(new JobListQuery(TaskType: StatsUpdateHandler.Name, Limit: limit), cancellationToken);
        return ApiJson.Ok(new { runs = StatsRun.From(jobs) });
    }

    private async Task<string?> RetryProblemAsync(Guid id, CancellationToken cancellationToken)
    {
        var job = await readStore.GetAsync(id, cancellationToken);
        if (job is null || job.TaskType != StatsUpdateHandler.Name)
        {
            return $"no stats_update job {id}";
        }

        return job.Status is JobStatus.Pending or JobStatus.Processing ? $"job {id} is still {job.Status}: only a finished job can be retried" : null;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Stats job {JobId} ({Trigger}) enqueued by {Actor}, joined a pending one: {Joined}")]
    private static partial void LogEnqueued(ILogger logger, Guid jobId, string trigger, bool joined, string actor);
}
