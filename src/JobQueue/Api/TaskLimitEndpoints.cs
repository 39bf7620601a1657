using System.Text.RegularExpressions;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// Flow control per task type (admin auth): <c>GET admin/task-limits</c> lists every registered type
/// with its limits, pause and what is running; <c>POST admin/task-limits/set</c> sets a type's limits
/// (all of them: an absent one is cleared); <c>POST admin/task-limits/pause</c> and <c>/resume</c>.
/// Enforced by the claim, across every runner of both hosts.
/// </summary>
public sealed partial class TaskLimitEndpoints(
    ApiAuthenticator auth, TaskLimitStore store, JobHandlerRegistry handlers, AdminAudit audit, TimeProvider time)
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromDays(30);

    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var limits = (await store.GetAsync(cancellationToken)).ToDictionary(l => l.TaskType, StringComparer.Ordinal);
        var taskTypes = handlers.TaskTypes.Union(limits.Keys).Order(StringComparer.Ordinal)
            .Select(t => new { taskType = t, registered = handlers.TryGet(t, out _), limits = limits.GetValueOrDefault(t) });
        return ApiJson.Ok(new { taskTypes });
    }

    /// <summary><c>{taskType, maxConcurrency, partitionBy, maxConcurrencyPerPartition, rateLimit, rateIntervalSeconds}</c>.</summary>
    public Task<IResult> SetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "task-limits.set", null, () => SetCoreAsync(request, cancellationToken), cancellationToken);

    /// <summary><c>{taskType, pausedUntil | seconds, reason}</c>.</summary>
    public Task<IResult> PauseAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "task-limits.pause", null, () => PauseCoreAsync(request, cancellationToken), cancellationToken);

    /// <summary><c>{taskType}</c>: the type runs again (its limits stay).</summary>
    public Task<IResult> ResumeAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "task-limits.resume", null, () => ResumeCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> SetCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var taskType = RegisteredTaskType(request, fields);
        var settings = new TaskLimitSettings(
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

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var limits = await store.SetAsync(taskType!, settings, TaskLimitStore.FromApi, "admin:" + actor, cancellationToken);
        return ApiJson.Ok(new { taskType, limits });
    }

    private async Task<IResult> PauseCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var taskType = RegisteredTaskType(request, fields);
        var until = fields.Timestamp("pausedUntil");
        var seconds = fields.Number("seconds", 1, (int)MaxPause.TotalSeconds);
        var reason = fields.Text("reason", ApiLimits.MaxReasonLength);
        var now = time.GetUtcNow();
        if (until is null && seconds is null && !fields.HasErrors)
        {
            fields.Error("pausedUntil", "pausedUntil (a timestamp) or seconds is required");
        }
        else if (until is { } u && (u <= now || u > now + MaxPause))
        {
            fields.Error("pausedUntil", "must be in the future, at most 30 days ahead");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var limits = await store.PauseAsync(taskType!, until ?? now.AddSeconds(seconds!.Value), reason, TaskLimitStore.FromApi, "admin:" + actor, cancellationToken);
        return ApiJson.Ok(new { taskType, limits });
    }

    private async Task<IResult> ResumeCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var taskType = RegisteredTaskType(request, fields);
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var limits = await store.PauseAsync(taskType!, null, null, TaskLimitStore.FromApi, "admin:" + actor, cancellationToken);
        return ApiJson.Ok(new { taskType, limits });
    }

    private string? RegisteredTaskType(HttpRequest request, RequestFields fields)
    {
        var taskType = fields.Text("taskType", ApiLimits.MaxTaskTypeLength, required: true);
        AdminAudit.Target(request, taskType);
        if (taskType is not null && !handlers.TryGet(taskType, out _))
        {
            fields.Error("taskType", $"'{taskType}' is not a registered task type");
        }

        return taskType;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex PayloadKey();
}
