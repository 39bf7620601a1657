using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobQueue.WakeUp;

public static class WakeUpServiceCollectionExtensions
{
    /// <summary>Setting that switches the wake-up messages off where storage is configured (default on).</summary>
    public const string EnabledKey = $"{RunnerOptions.Section}:{nameof(RunnerOptions.WakeUpQueueEnabled)}";

    /// <summary>
    /// The Functions app's wake-up messages (<see cref="StorageQueueWakeUp"/>): on where the host's
    /// storage is configured (<see cref="WakeUpQueueConnection"/>) and <see cref="EnabledKey"/> is not
    /// false; elsewhere nothing is registered and enqueues wake nobody (the timer runs the jobs).
    /// </summary>
    public static IServiceCollection AddJobQueueWakeUpQueue(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue(EnabledKey, true) || WakeUpQueueConnection.Create(configuration) is not { } queue)
        {
            return services;
        }

        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<StorageQueueWakeUp>(sp, queue));
        services.TryAddSingleton<IJobWakeUp>(sp => sp.GetRequiredService<StorageQueueWakeUp>());
        return services;
    }
}
