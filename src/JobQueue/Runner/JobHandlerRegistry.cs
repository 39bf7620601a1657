using System.Text.Json;

namespace JobQueue.Runner;

/// <summary>The handlers by task type (every <see cref="IJobHandler"/> registered in DI).</summary>
public sealed class JobHandlerRegistry
{
    private readonly Dictionary<string, IJobHandler> handlers;

    public JobHandlerRegistry(IEnumerable<IJobHandler> handlers)
    {
        this.handlers = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!this.handlers.TryAdd(handler.TaskType, handler))
            {
                throw new InvalidOperationException($"two handlers are registered for task type '{handler.TaskType}'");
            }
        }
    }

    public IReadOnlyCollection<string> TaskTypes => handlers.Keys;

    public bool TryGet(string taskType, out IJobHandler handler) => handlers.TryGetValue(taskType, out handler!);

    /// <summary>
    /// What creating a job of a registered <paramref name="taskType"/> checks: its handler's payload
    /// rules and the payload's follow-up (<see cref="FollowUps"/>, fields <c>then.…</c>). Empty when valid.
    /// </summary>
    public IReadOnlyList<PayloadError> ValidatePayload(string taskType, JsonElement payload)
    {
        if (!TryGet(taskType, out var handler))
        {
            throw new ArgumentException($"no handler is registered for task type '{taskType}'", nameof(taskType));
        }

        var errors = handler.ValidatePayload(payload);
        var followUp = FollowUps.Validate(payload, this);
        return followUp.Count == 0 ? errors : [.. errors, .. followUp];
    }
}
