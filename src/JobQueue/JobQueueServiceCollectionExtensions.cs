using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using JobQueue.Api;
using JobQueue.Audit;
using JobQueue.Composition;
using JobQueue.Cron;
using JobQueue.Dashboard;
using JobQueue.Database;
using JobQueue.Scheduling;
using JobQueue.Secrets;
using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.WakeUp;
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

    /// <summary>
    /// The engine alone: queue, runner, maintenance, schedules, admin API, dashboard, secrets, telemetry.
    /// No job type but what the caller adds: chain the modules on the returned builder
    /// (<c>.AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling()</c>)
    /// or register handlers with <see cref="AddJobHandler{THandler}"/>.
    /// </summary>
    public static JobQueueBuilder AddJobQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section));
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddOptions<SecretOptions>().Bind(configuration.GetSection(SecretOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        AddSecrets(services, configuration);
        services.TryAddSingleton<DatabaseConnection>();
        services.TryAddSingleton(sp => sp.GetRequiredService<DatabaseConnection>().BuildDataSource());
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseStartupService>();
        services.TryAddSingleton<DatabaseOutageGuard>();
        services.TryAddSingleton<ReadinessEndpoint>();
        services.TryAddSingleton<JobQueueStore>();
        services.TryAddSingleton<JobActionStore>();
        services.TryAddSingleton<JobReadStore>();
        services.TryAddSingleton<QueueSettingsStore>();
        services.TryAddSingleton<QueueHealthStore>();
        services.TryAddSingleton<JobCleanupStore>();
        services.TryAddSingleton<TaskLimitStore>();
        services.AddOptions<Dictionary<string, TaskLimitOptions>>().Bind(configuration.GetSection(TaskLimitOptions.Section));
        services.AddHostedService<TaskLimitDefaults>();
        services.TryAddSingleton<JobBulkStore>();
        services.TryAddSingleton<QueueThroughputStore>();
        services.TryAddSingleton<AuditStore>();
        services.TryAddSingleton<AdminAudit>();
        services.TryAddSingleton<JobQueueMetrics>();
        services.TryAddSingleton<QueueGaugeSampler>();
        services.TryAddSingleton<RetryBackoff>();
        services.TryAddSingleton<JobHandlerRegistry>();
        services.TryAddSingleton<RunnerSlots>();
        services.TryAddSingleton<RunnerLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<RunnerLifetime>());
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<RunnerLoop>();
        services.TryAddSingleton<RunnerWakeUpTrigger>();
        services.AddOptions<MaintenanceOptions>().Bind(configuration.GetSection(MaintenanceOptions.Section));
        services.TryAddSingleton<MaintenanceStore>();
        services.TryAddSingleton<LeaderElector>();
        services.TryAddSingleton<LeaseRescuer>();
        services.TryAddSingleton<FinalFailureReporter>();
        services.TryAddSingleton<HeldFlagRepairer>();
        services.TryAddSingleton<QueueMaintainer>();
        services.AddOptions<CronOptions>().Bind(configuration.GetSection(CronOptions.Section));
        services.TryAddSingleton<CronDatabase>();
        services.TryAddSingleton<CronJobStore>();
        services.TryAddSingleton<OwnerCronConnection>();
        services.TryAddSingleton<CronVisibilityReader>();
        services.TryAddSingleton<CronJobRequestValidator>();
        services.TryAddSingleton<StandingCronInstaller>();
        services.TryAddSingleton<ScheduleExpressions>();
        services.TryAddSingleton<ScheduleTickStore>();
        services.TryAddSingleton<ScheduleTable>();
        services.TryAddSingleton<ScheduleRunner>();
        services.TryAddSingleton<ScheduleCatchUp>();
        services.AddHostedService<ScheduleCatchUpService>();
        services.TryAddSingleton<AppServiceAuthenticationMode>();
        services.AddHostedService(sp => sp.GetRequiredService<AppServiceAuthenticationMode>());
        services.TryAddSingleton<ApiAuthenticator>();
        services.TryAddSingleton<DashboardFiles>();
        services.TryAddSingleton<ApiRouteTable>();
        // the pipeline both hosts run every route through, over the composed route table
        services.TryAddSingleton(sp => new ApiPipeline(sp.GetRequiredService<ApiRouteTable>().All));
        services.TryAddSingleton<AppSecrets>();
        foreach (var endpoints in ApiRouteSet.EndpointTypesOf(ApiRoutes.All))
        {
            services.TryAddSingleton(endpoints);
        }

        return new JobQueueBuilder(services, configuration);
    }

    /// <summary>Key Vault when <c>KeyVault:VaultUri</c> is set (managed identity), else the <c>Secrets:*</c> settings.</summary>
    private static void AddSecrets(IServiceCollection services, IConfiguration configuration)
    {
        var vaultUri = configuration[$"{SecretOptions.Section}:{nameof(SecretOptions.VaultUri)}"];
        if (string.IsNullOrWhiteSpace(vaultUri))
        {
            services.TryAddSingleton<ISecretProvider>(_ => new ConfigurationSecretProvider(configuration));
            return;
        }

        services.TryAddSingleton(_ => new SecretClient(new Uri(vaultUri), new DefaultAzureCredential()));
        services.TryAddSingleton<ISecretProvider, KeyVaultSecretProvider>();
    }

    /// <summary>Registers a handler; its task type comes from the handler itself.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, THandler>());
        return services;
    }

    /// <summary>A pooled data source with automatic statement preparation for the hot RPCs.</summary>
    public static NpgsqlDataSource BuildDataSource(string connectionString) => CreateDataSourceBuilder(connectionString).Build();

    /// <summary>The data source builder with the library's defaults (auto-prepare, application name).</summary>
    public static NpgsqlDataSourceBuilder CreateDataSourceBuilder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        builder.ConnectionStringBuilder.ApplicationName ??= "jobqueue";
        return builder;
    }
}
