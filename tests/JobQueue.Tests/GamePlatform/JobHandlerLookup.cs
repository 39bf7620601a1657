using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.GamePlatform;

/// <summary>A registered handler by task type.</summary>
public sealed class JobHandlerLookup(IServiceProvider services)
{
    public IJobHandler Get(string taskType) =>
        services.GetRequiredService<JobHandlerRegistry>().TryGet(taskType, out var handler)
            ? handler
            : throw new InvalidOperationException($"no handler for {taskType}");
}
