using System.Text.Json;
using JobQueue.Queue;

namespace JobQueue.Pipelines;

/// <summary>
/// One row of the stats pipeline's status table (<c>GET admin/stats-jobs</c>): who triggered the run,
/// its status and outcome (<c>partial</c> when a step failed: <see cref="Queue.Job.Outcome"/>, with
/// <see cref="LastError"/> naming the failed steps), when it started and completed, how long it took, the steps that failed, and whether it
/// retries a failed run (<see cref="RetryOf"/>) or was retried (<see cref="RetriedBy"/>). Read from the
/// job row: the trigger and retryOf from its payload, the result and timings from its output.
/// </summary>
public sealed record StatsRun(
    Guid JobId,
    string? TriggeredBy,
    string? MatchId,
    string Status,
    string? Outcome,
    string? Result,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    long? EnqueueToStartMs,
    long? LastStepToInvalidationMs,
    int Attempts,
    IReadOnlyList<string> FailedSteps,
    string? LastError,
    Guid? RetryOf,
    Guid? RetriedBy)
{
    public static IReadOnlyList<StatsRun> From(IReadOnlyList<Job> jobs)
    {
        var retries = jobs
            .Select(j => (j.Id, RetryOf: Guid.TryParse(Text(j.Payload, "retryOf"), out var of) ? of : (Guid?)null))
            .Where(r => r.RetryOf is not null)
            .GroupBy(r => r.RetryOf!.Value)
            .ToDictionary(g => g.Key, g => g.Min(r => r.Id));
        return jobs.Select(j => From(j, retries.TryGetValue(j.Id, out var by) ? by : null)).ToList();
    }

    private static StatsRun From(Job job, Guid? retriedBy)
    {
        var output = job.Output is { ValueKind: JsonValueKind.Object } o ? o : default;
        var timings = output.ValueKind == JsonValueKind.Object && output.TryGetProperty("timings", out var t) ? t : default;
        var failed = output.ValueKind == JsonValueKind.Object && output.TryGetProperty("failedSteps", out var f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToList()
            : [];
        return new StatsRun(
            job.Id,
            Text(job.Payload, "triggeredBy"),
            Text(job.Payload, "matchId"),
            job.Status,
            job.Outcome,
            Text(output, "status"),
            job.CreatedAt,
            job.StartedAt,
            job.CompletedAt,
            job is { StartedAt: { } s, CompletedAt: { } c } ? (long)(c - s).TotalMilliseconds : null,
            Number(timings, "enqueueToStartMs"),
            Number(timings, "lastStepToInvalidationMs"),
            job.Attempts,
            failed,
            job.LastError,
            Guid.TryParse(Text(job.Payload, "retryOf"), out var of) ? of : null,
            retriedBy);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;

    private static long? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;
}
