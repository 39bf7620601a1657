using JobQueue.Database;
using JobQueue.GamePlatform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Infrastructure;

/// <summary>The engine with every module, as the hosts compose it (test services are built like the hosts').</summary>
public static class EveryModule
{
    /// <summary>The modules' migration sets, for the tests that make a <see cref="DatabaseMigrator"/> themselves (as the hosts' DI does).</summary>
    public static IReadOnlyList<ModuleSchema> Schemas { get; } = [GamePlatformSchema.Set];

    public static IServiceCollection AddJobQueueWithEveryModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddJobQueue(configuration)
            .AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling();
        return services;
    }
}
