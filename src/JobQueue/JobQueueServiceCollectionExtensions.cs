using JobQueue.Cron;
using JobQueue.Database;
using JobQueue.Handlers;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace JobQueue;

/// <summary>The library's one DI registration, used by every host.</summary>
public static class JobQueueServiceCollectionExtensions
{
    /// <summary>Settings key of the PostgreSQL connection string (where no vault provides it).</summary>
    public const string ConnectionStringKey = "Database:ConnectionString";

    public static IServiceCollection AddJobQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section));
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => BuildDataSource(configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"setting {ConnectionStringKey} is missing")));
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<JobQueueStore>();
        services.TryAddSingleton<JobQueueMetrics>();
        services.TryAddSingleton<RetryBackoff>();
        services.TryAddSingleton<JobHandlerRegistry>();
        services.TryAddSingleton<JobRunner>();
        services.AddOptions<CronOptions>().Bind(configuration.GetSection(CronOptions.Section));
        services.TryAddSingleton<CronDatabase>();
        services.TryAddSingleton<CronJobStore>();
        services.TryAddSingleton<CronJobRequestValidator>();
        services.TryAddSingleton<StandingCronInstaller>();
        services.AddJobHandler<CleanupHandler>();
        return services;
    }

    /// <summary>Registers a handler; its task type comes from the handler itself.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, THandler>());
        return services;
    }

    /// <summary>A pooled data source with automatic statement preparation for the hot RPCs.</summary>
    public static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        builder.ConnectionStringBuilder.ApplicationName ??= "jobqueue";
        return builder.Build();
    }
}
