using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>The body of <c>POST admin/task-limits/resume</c>: the task type.</summary>
public sealed record TaskTypeRequest(string TaskType) : IApiRequest<TaskTypeRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => TaskType is { Length: > 0 } t ? t : null;

    public static TaskTypeRequest Bind(RequestFields fields, IQueryCollection query) => new(Required(fields));

    internal static string Required(RequestFields fields) => fields.Text("taskType", ApiLimits.MaxTaskTypeLength, required: true) ?? "";
}

/// <summary>
/// The body of <c>POST admin/task-limits/set</c>: ALL of a task type's limits (an absent one is cleared):
/// <c>maxConcurrency</c>, <c>partitionBy</c> with <c>maxConcurrencyPerPartition</c>, <c>rateLimit</c> per <c>rateIntervalSeconds</c>.
/// </summary>
public sealed partial record TaskLimitSetRequest(
    string TaskType, int? MaxConcurrency, string? PartitionBy, int? MaxConcurrencyPerPartition, int? RateLimit, int? RateIntervalSeconds)
    : IApiRequest<TaskLimitSetRequest>, IAuditedRequest
{
    [JsonIgnore]
    public TaskLimitSettings Settings => new(MaxConcurrency, PartitionBy, MaxConcurrencyPerPartition, RateLimit, RateIntervalSeconds);

    string? IAuditedRequest.AuditTarget => TaskType is { Length: > 0 } t ? t : null;

    public static TaskLimitSetRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var taskType = TaskTypeRequest.Required(fields);
        var settings = new TaskLimitSetRequest(
            taskType,
            fields.Number("maxConcurrency", 1, 100_000),
            fields.Text("partitionBy", 64),
            fields.Number("maxConcurrencyPerPartition", 1, 100_000),
            fields.Number("rateLimit", 1, 1_000_000),
            fields.Number("rateIntervalSeconds", 1, 86_400));
        if (settings.PartitionBy is { } key && !PayloadKey().IsMatch(key))
        {
            fields.Error("partitionBy", "must be a top-level payload key: 1 to 64 letters, digits or _");
        }

        if ((settings.PartitionBy is null) != (settings.MaxConcurrencyPerPartition is null))
        {
            fields.Error(settings.PartitionBy is null ? "partitionBy" : "maxConcurrencyPerPartition",
                "partitionBy and maxConcurrencyPerPartition go together");
        }

        if ((settings.RateLimit is null) != (settings.RateIntervalSeconds is null))
        {
            fields.Error(settings.RateLimit is null ? "rateLimit" : "rateIntervalSeconds", "rateLimit and rateIntervalSeconds go together");
        }

        return settings;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex PayloadKey();
}

/// <summary>The body of <c>POST admin/task-limits/pause</c>: the task type, until when (<c>pausedUntil</c> or <c>seconds</c>, at most 30 days) and why.</summary>
public sealed record TaskLimitPauseRequest(string TaskType, DateTimeOffset? PausedUntil, int? Seconds, string? Reason)
    : IApiRequest<TaskLimitPauseRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => TaskType is { Length: > 0 } t ? t : null;

    public static TaskLimitPauseRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var pause = new TaskLimitPauseRequest(
            TaskTypeRequest.Required(fields),
            fields.Timestamp("pausedUntil"),
            fields.Number("seconds", 1, (int)TaskLimitEndpoints.MaxPause.TotalSeconds),
            fields.Text("reason", ApiLimits.MaxReasonLength));
        if (pause.PausedUntil is null && pause.Seconds is null && !fields.HasErrors)
        {
            fields.Error("pausedUntil", "pausedUntil (a timestamp) or seconds is required");
        }

        return pause;
    }
}
