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
}
