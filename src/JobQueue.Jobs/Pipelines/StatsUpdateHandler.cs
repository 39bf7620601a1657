using System.Text.Json;
using JobQueue.Runner;
using JobQueue.Scheduling;
using Microsoft.Extensions.Options;

namespace JobQueue.Pipelines;

/// <summary>Payload of <c>stats_update</c>: who asked, and for what.</summary>
public sealed class StatsUpdatePayload
{
    /// <summary><c>post-match</c>, <c>admin</c> or <c>cron</c>.</summary>
    public string? TriggeredBy { get; set; }

    public string? MatchId { get; set; }

    public string? RequestId { get; set; }

    public string? UserId { get; set; }

    /// <summary>The failed stats job this one retries.</summary>
    public Guid? RetryOf { get; set; }
}

/// <summary>
/// <c>stats_update</c>, the stats pipeline: runs the configured steps (<see cref="StatsUpdateSteps"/>),
/// then invalidates the successful steps' cache tags with one POST (<see cref="StatsCacheInvalidator"/>).
/// The job succeeds when at least one step did and the invalidation went through: <c>completed</c>, or,
/// when a step failed, <c>partial</c> (<see cref="PartialJobResult"/>: the job's outcome is
/// <c>partial</c> and its last error names the failed steps; a warning is logged and counted); it
/// fails, to be retried by the queue, when every step failed or the invalidation did. The output holds every step
/// <c>{name, function, success, attempts, durationMs, error}</c> and the timings an operator reads:
/// enqueue to start (database clock) and last step to invalidation.
/// </summary>
public sealed class StatsUpdateHandler(StatsUpdateSteps runner, StatsCacheInvalidator invalidator, IOptions<StatsUpdateOptions> options, TimeProvider time)
    : JobHandler<StatsUpdatePayload>, IStandingJobSource
{
    public const string Name = "stats_update";

    public static readonly IReadOnlyList<string> Triggers = ["post-match", "admin", "cron"];

    private static readonly JsonElement CronPayload = JsonSerializer.SerializeToElement(new { triggeredBy = "cron" });

    public override string TaskType => Name;

    public string? StandingSkipReason =>
        StatsUpdateSteps.Read(options.Value).Steps.Count == 0 ? "no steps are configured (Pipelines:StatsUpdate:Steps)" : null;

    public JsonElement StandingPayload => CronPayload;

    protected override IEnumerable<PayloadError> Validate(StatsUpdatePayload payload)
    {
        if (payload.TriggeredBy is null || !Triggers.Contains(payload.TriggeredBy, StringComparer.Ordinal))
        {
            yield return new PayloadError("triggeredBy", "must be one of " + string.Join(", ", Triggers));
        }

        foreach (var (field, value) in new[] { ("matchId", payload.MatchId), ("requestId", payload.RequestId), ("userId", payload.UserId) })
        {
            if (value is not null && (value.Length is < 1 or > 200 || value.Any(char.IsControl)))
            {
                yield return new PayloadError(field, "must be 1 to 200 characters without control characters");
            }
        }
    }

    protected override async Task<object?> HandleAsync(StatsUpdatePayload payload, JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (steps, problems) = StatsUpdateSteps.Read(o);
        if (steps.Count == 0)
        {
            throw new PermanentJobException("the stats pipeline has no steps (Pipelines:StatsUpdate:Steps)" +
                (problems.Count > 0 ? ": " + string.Join("; ", problems) : ""));
        }

        var startedAt = time.GetUtcNow();
        var results = await runner.RunAsync(steps, o, cancellationToken);
        var succeeded = results.Where(r => r.Success).ToList();
        if (succeeded.Count == 0)
        {
            throw new InvalidOperationException("every step failed: " + string.Join("; ", results.Select(r => $"{r.Name}: {r.Error}")));
        }

        var lastStepAt = results.Max(r => r.FinishedAt);
        var tags = succeeded.SelectMany(r => r.CacheTags).Distinct(StringComparer.Ordinal).ToList();
        var invalidation = await invalidator.InvalidateAsync(tags, context.JobId, payload.TriggeredBy, payload.MatchId, cancellationToken);
        var failed = results.Where(r => !r.Success).ToList();
        var output = new
        {
            status = failed.Count == 0 ? "completed" : "partial",
            payload.TriggeredBy,
            payload.MatchId,
            payload.RetryOf,
            steps = results.Select(r => new { r.Name, r.Function, r.Success, r.Attempts, r.DurationMs, r.Error, r.CacheTags, r.StartedAt, r.FinishedAt }),
            failedSteps = failed.Select(r => r.Name),
            configurationProblems = problems,
            invalidation,
            timings = new
            {
                enqueuedAt = context.Job.CreatedAt,
                startedAt = context.Job.StartedAt,
                enqueueToStartMs = context.Job.StartedAt is { } s ? (long)(s - context.Job.CreatedAt).TotalMilliseconds : (long?)null,
                stepsMs = (long)(lastStepAt - startedAt).TotalMilliseconds,
                lastStepFinishedAt = lastStepAt,
                invalidatedAt = invalidation.At,
                lastStepToInvalidationMs = (long)(invalidation.At - lastStepAt).TotalMilliseconds,
            },
        };
        return failed.Count == 0
            ? output
            : new PartialJobResult(output, $"{failed.Count} of {results.Count} steps failed: " + string.Join("; ", failed.Select(r => $"{r.Name}: {r.Error}")));
    }
}
