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
public sealed class TaskLimitEndpoints(
    TaskLimitStore store, JobHandlerRegistry handlers, TimeProvider time)
{
    internal static readonly TimeSpan MaxPause = TimeSpan.FromDays(30);

    public async Task<IResult> ListAsync(ApiCall call)
    {
        var limits = (await store.GetAsync(call.Aborted)).ToDictionary(l => l.TaskType, StringComparer.Ordinal);
        var taskTypes = handlers.TaskTypes.Union(limits.Keys).Order(StringComparer.Ordinal)
            .Select(t => new TaskTypeLimits(t, handlers.TryGet(t, out _), limits.GetValueOrDefault(t)))
            .ToList();
        return ApiJson.Ok(new TaskLimitListResponse(taskTypes));
    }

    /// <summary><c>{taskType, maxConcurrency, partitionBy, maxConcurrencyPerPartition, rateLimit, rateIntervalSeconds}</c>.</summary>
    public async Task<IResult> SetAsync(ApiCall call, TaskLimitSetRequest set) =>
        NotRegistered(set.TaskType) ?? Answer(set.TaskType,
            await store.SetAsync(set.TaskType, set.Settings, TaskLimitStore.FromApi, "admin:" + call.Actor, call.Aborted));

    /// <summary><c>{taskType, pausedUntil | seconds, reason}</c>.</summary>
    public async Task<IResult> PauseAsync(ApiCall call, TaskLimitPauseRequest pause)
    {
        if (NotRegistered(pause.TaskType) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        if (pause.PausedUntil is { } u && (u <= now || u > now + MaxPause))
        {
            return ApiProblems.Validation("pausedUntil", "must be in the future, at most 30 days ahead");
        }

        var until = pause.PausedUntil ?? now.AddSeconds(pause.Seconds!.Value);
        return Answer(pause.TaskType, await store.PauseAsync(pause.TaskType, until, pause.Reason, TaskLimitStore.FromApi, "admin:" + call.Actor, call.Aborted));
    }

    /// <summary><c>{taskType}</c>: the type runs again (its limits stay).</summary>
    public async Task<IResult> ResumeAsync(ApiCall call, TaskTypeRequest resume) =>
        NotRegistered(resume.TaskType) ?? Answer(resume.TaskType,
            await store.PauseAsync(resume.TaskType, null, null, TaskLimitStore.FromApi, "admin:" + call.Actor, call.Aborted));

    private static IResult Answer(string taskType, TaskLimits? limits) => ApiJson.Ok(new TaskLimitResponse(taskType, limits));

    private IResult? NotRegistered(string taskType) =>
        handlers.TryGet(taskType, out _) ? null : ApiProblems.Validation("taskType", $"'{taskType}' is not a registered task type");
}

/// <summary>A task type's limits and pause as they are now.</summary>
public sealed record TaskLimitResponse(string TaskType, TaskLimits? Limits);

/// <summary><c>GET admin/task-limits</c>: every registered task type, and any other that has limits, by name.</summary>
public sealed record TaskLimitListResponse(IReadOnlyList<TaskTypeLimits> TaskTypes);

/// <summary>A task type, whether a handler is registered for it, and its limits (null: none set).</summary>
public sealed record TaskTypeLimits(string TaskType, bool Registered, TaskLimits? Limits);
