using System.Text.Json;

namespace JobQueue.Runner;

/// <summary>
/// Follow-up jobs: a payload may carry
/// <c>then: {taskType, payload, delaySeconds, dedupeKey, maxAttempts, priority, partitionKey}</c>.
/// When the job succeeds, <c>jobqueue.job_queue_complete</c> enqueues the follow-up in the transaction
/// that records the success (jobqueue.job_queue_enqueue_follow_ups,
/// Database/Schema/functions/enqueue/job_queue_enqueue_follow_ups.sql), due <c>delaySeconds</c> later, with
/// <c>triggered_by = 'follow-up:&lt;job id&gt;'</c>; a live job with the same task type and dedupe key
/// absorbs it. <c>priority</c> (-100..100, default 0) and <c>partitionKey</c> are the enqueue's own
/// (flow control); the follow-up keeps the job's request id and trace context. A follow-up's payload may carry its own <c>then</c> (chains of up to <see cref="MaxDepth"/>).
/// The spec is checked when a job is created (API, pg_cron admin) and again before it runs.
/// </summary>
public static class FollowUps
{
    /// <summary>The payload property (exact, as the SQL reads it).</summary>
    public const string Property = "then";

    public const int MaxDepth = 5;

    /// <summary>The longest delay: a year and a day.</summary>
    public const int MaxDelaySeconds = 366 * 24 * 3600;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static readonly string[] Fields = ["taskType", "payload", "delaySeconds", "dedupeKey", "maxAttempts", "priority", "partitionKey"];

    /// <summary>True when the payload names a follow-up.</summary>
    public static bool Has(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty(Property, out var then)
        && then.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// The problems of the payload's <c>then</c> (fields named <c>then.…</c>), empty when it has none or it
    /// is valid. When a job is created its follow-up's task type must be registered; before it runs
    /// (<paramref name="whenCreated"/> false) a task type this instance does not know is let through,
    /// so that the follow-up waits for an instance that knows it, as any job of an unknown type does.
    /// </summary>
    public static IReadOnlyList<PayloadError> Validate(JsonElement payload, JobHandlerRegistry handlers, bool whenCreated = true) =>
        Has(payload) ? Validate(payload.GetProperty(Property), handlers, whenCreated, Property, 1).ToList() : [];

    private static IEnumerable<PayloadError> Validate(JsonElement then, JobHandlerRegistry handlers, bool whenCreated, string at, int depth)
    {
        if (depth > MaxDepth)
        {
            yield return new PayloadError(at, $"follow-ups may be nested at most {MaxDepth} deep");
            yield break;
        }

        if (then.ValueKind != JsonValueKind.Object)
        {
            yield return new PayloadError(at, "must be an object {taskType, payload, delaySeconds, dedupeKey, maxAttempts, priority, partitionKey}");
            yield break;
        }

        foreach (var property in then.EnumerateObject().Where(p => !Fields.Contains(p.Name, StringComparer.Ordinal)))
        {
            yield return new PayloadError($"{at}.{property.Name}", "is not a follow-up field (taskType, payload, delaySeconds, dedupeKey, maxAttempts, priority, partitionKey)");
        }

        IJobHandler? handler = null;
        if (!then.TryGetProperty("taskType", out var taskType) || taskType.ValueKind != JsonValueKind.String)
        {
            yield return new PayloadError($"{at}.taskType", "is required: the task type of the follow-up job");
        }
        else if (!handlers.TryGet(taskType.GetString()!, out handler) && whenCreated)
        {
            yield return new PayloadError($"{at}.taskType",
                $"'{taskType.GetString()}' is not a registered task type (registered: {string.Join(", ", handlers.TaskTypes.Order(StringComparer.Ordinal))})");
        }

        var followUpPayload = then.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;
        if (followUpPayload is { ValueKind: not JsonValueKind.Object })
        {
            yield return new PayloadError($"{at}.payload", "must be a JSON object");
        }
        else if (handler is not null)
        {
            var inner = followUpPayload ?? EmptyObject;
            foreach (var e in handler.ValidatePayload(inner))
            {
                yield return e with { Field = e.Field == "payload" ? $"{at}.payload" : $"{at}.payload.{e.Field}" };
            }

            if (Has(inner))
            {
                foreach (var e in Validate(inner.GetProperty(Property), handlers, whenCreated, $"{at}.payload.{Property}", depth + 1))
                {
                    yield return e;
                }
            }
        }

        if (Optional(then, "delaySeconds") is { } delay
            && (delay.ValueKind != JsonValueKind.Number || !delay.TryGetDouble(out var seconds) || seconds < 0 || seconds > MaxDelaySeconds))
        {
            yield return new PayloadError($"{at}.delaySeconds", $"must be a number of seconds between 0 and {MaxDelaySeconds}");
        }

        if (Optional(then, "dedupeKey") is { } key
            && (key.ValueKind != JsonValueKind.String || key.GetString()!.Length is < 1 or > 200))
        {
            yield return new PayloadError($"{at}.dedupeKey", "must be a string of 1 to 200 characters");
        }

        if (Optional(then, "maxAttempts") is { } attempts
            && (attempts.ValueKind != JsonValueKind.Number || !attempts.TryGetInt32(out var n) || n is < 1 or > 100))
        {
            yield return new PayloadError($"{at}.maxAttempts", "must be an integer between 1 and 100");
        }

        if (Optional(then, "priority") is { } priority
            && (priority.ValueKind != JsonValueKind.Number || !priority.TryGetInt32(out var level) || level is < -100 or > 100))
        {
            yield return new PayloadError($"{at}.priority", "must be an integer between -100 and 100 (higher runs first)");
        }

        if (Optional(then, "partitionKey") is { } partition
            && (partition.ValueKind != JsonValueKind.String || partition.GetString()!.Length is < 1 or > 200))
        {
            yield return new PayloadError($"{at}.partitionKey", "must be a string of 1 to 200 characters");
        }
    }

    private static JsonElement? Optional(JsonElement then, string name) =>
        then.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
