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
    JobQueueStore store, JobReadStore readStore, JobHandlerRegistry handlers, IOptions<StatsUpdateOptions> options, ILogger<StatsJobEndpoints> logger)
{
    public const string PostMatchJoinKey = "post-match";

    public async Task<IResult> EnqueueAsync(ApiCall call, StatsJobRequest stats)
    {
        var cancellationToken = call.Aborted;
        if (stats.RetryOf is { } retryOf && await RetryProblemAsync(retryOf, cancellationToken) is { } problem)
        {
            return ApiProblems.Validation("retryOf", problem);
        }

        if (StatsUpdateSteps.Read(options.Value).Steps.Count == 0)
        {
            return ApiProblems.Unavailable("the stats pipeline has no steps: set Pipelines:StatsUpdate:Steps");
        }

        var payload = new JsonObject { ["triggeredBy"] = stats.TriggeredBy };
        foreach (var (key, value) in new[] { ("matchId", stats.MatchId), ("requestId", stats.RequestId), ("userId", stats.UserId), ("retryOf", stats.RetryOf?.ToString()) })
        {
            if (value is not null)
            {
                payload[key] = value;
            }
        }

        var element = JsonSerializer.SerializeToElement(payload);
        if (handlers.ValidatePayload(StatsUpdateHandler.Name, element) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(errors, "");
        }

        var enqueue = new EnqueueRequest(StatsUpdateHandler.Name, element, TriggeredBy: $"{stats.TriggeredBy}:admin:{call.Actor}",
            RequestId: stats.RequestId ?? call.RequestId);
        var (id, joined) = stats.TriggeredBy == "post-match" && stats.RetryOf is null
            ? await store.EnqueueOrJoinAsync(enqueue, PostMatchJoinKey, cancellationToken)
            : (await store.EnqueueAsync(enqueue, cancellationToken), false);
        LogEnqueued(logger, id, stats.TriggeredBy, joined, call.Actor);
        call.AuditTarget = id.ToString();
        call.AuditDetail = $"{stats.TriggeredBy}{(joined ? ", joined the pending run" : "")}{(stats.RetryOf is null ? "" : $", retry of {stats.RetryOf}")}";
        return ApiJson.Ok(new StatsJobEnqueuedResponse(
            true, id, joined, joined ? $"joined the pending stats_update job {id}" : $"stats_update job enqueued ({stats.TriggeredBy})"));
    }

    public async Task<IResult> ListAsync(ApiCall call, StatsRunsRequest query)
    {
        var jobs = await readStore.ListAsync(new JobListQuery(TaskType: StatsUpdateHandler.Name, Limit: query.Limit), call.Aborted);
        return ApiJson.Ok(new StatsRunsResponse(StatsRun.From(jobs)));
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

/// <summary>
/// The body of <c>POST admin/jobs/enqueue-stats-job</c>: who triggers it (post-match, admin or cron), the
/// match, request and user it is for, and <c>retryOf</c>, a finished stats job this one retries.
/// </summary>
public sealed record StatsJobRequest(string TriggeredBy, string? MatchId, string? RequestId, string? UserId, Guid? RetryOf)
    : IApiRequest<StatsJobRequest>
{
    public static StatsJobRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var triggeredBy = fields.Text("triggeredBy", 20, required: true);
        if (triggeredBy is not null && !StatsUpdateHandler.Triggers.Contains(triggeredBy, StringComparer.Ordinal))
        {
            fields.Error("triggeredBy", "must be one of " + string.Join(", ", StatsUpdateHandler.Triggers));
        }

        var matchId = fields.TextOrInteger("matchId", 200);
        var requestId = fields.Text("requestId", 200);
        var userId = fields.TextOrInteger("userId", 200);
        var retryOfText = fields.Text("retryOf", 100);
        var retryOf = retryOfText is null ? null : ApiRequest.JobId(retryOfText);
        if (retryOfText is not null && retryOf is null)
        {
            fields.Error("retryOf", "must be the id (a UUID) of a stats_update job");
        }

        return new(triggeredBy ?? "", matchId, requestId, userId, retryOf);
    }
}

/// <summary>The query of <c>GET admin/stats-jobs</c>: how many of the latest runs (1..500, 20).</summary>
public sealed record StatsRunsRequest(int Limit) : IApiRequest<StatsRunsRequest>
{
    public static StatsRunsRequest Bind(RequestFields fields, IQueryCollection query) =>
        new(fields.QueryInt(query, "limit", 1, ApiLimits.MaxListLimit) ?? 20);
}

/// <summary>The stats job enqueued, or the pending post-match run it joined (<c>joined</c>).</summary>
public sealed record StatsJobEnqueuedResponse(bool Success, Guid JobId, bool Joined, string Message);

/// <summary>The latest stats pipeline runs, newest first.</summary>
public sealed record StatsRunsResponse(IReadOnlyList<StatsRun> Runs);
