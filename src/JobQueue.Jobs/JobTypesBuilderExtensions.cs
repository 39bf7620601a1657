using JobQueue.Api;
using JobQueue.Composition;
using JobQueue.Cron;
using JobQueue.Handlers;
using JobQueue.HttpJobs;
using JobQueue.Pipelines;
using JobQueue.Scheduling;
using JobQueue.Secrets;
using JobQueue.SqlJobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobQueue;

/// <summary>
/// The general job types, each opt-in on the engine's builder:
/// <c>services.AddJobQueue(configuration).AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddCleanupJob()</c>.
/// </summary>
public static class JobTypesBuilderExtensions
{
    /// <summary>The nightly stats pipeline run; a tick does nothing while Pipelines:StatsUpdate:Steps is empty.</summary>
    public static readonly ScheduleDefinition StatsUpdateNightly =
        new("StatsUpdateNightly", "Schedules:StatsUpdateNightly", "0 0 2 * * *", StatsUpdateHandler.Name);

    /// <summary>The daily cleanup of finished jobs, runs, audit entries and throughput rows.</summary>
    public static readonly ScheduleDefinition JobQueueCleanup =
        new("JobQueueCleanup", "Schedules:JobQueueCleanup", "0 15 3 * * *", CleanupHandler.Name);

    /// <summary>The stats pipeline's routes: enqueue a run, list the runs.</summary>
    public static ApiRouteSet StatsRoutes { get; } = new(
        [
            ApiRoutes.Route<StatsJobEndpoints, StatsJobRequest>("AdminJobsEnqueueStats", "POST", "admin/jobs/enqueue-stats-job", ApiAuth.Admin, (e, c, r) => e.EnqueueAsync(c, r))
                with { Audit = new("job.enqueue-stats"), ResponseType = typeof(StatsJobEnqueuedResponse), Summary = "Enqueue the stats pipeline's job" },
            ApiRoutes.Route<StatsJobEndpoints, StatsRunsRequest>("AdminStatsJobsList", "GET", "admin/stats-jobs", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
                with { ResponseType = typeof(StatsRunsResponse), Summary = "List the stats pipeline's runs, newest first" },
        ]);

    /// <summary><c>http_request</c>: outbound HTTP calls (HttpJobs/README or HttpJobsOptions).</summary>
    public static JobQueueBuilder AddHttpJobs(this JobQueueBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpJobs(builder.Configuration);
        return builder;
    }

    /// <summary><c>sql_function</c>: calls of allow-listed SQL functions.</summary>
    public static JobQueueBuilder AddSqlJobs(this JobQueueBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSqlJobs(builder.Configuration);
        return builder;
    }

    /// <summary><c>stats_update</c>: the stats pipeline, its routes and its nightly schedule.</summary>
    public static JobQueueBuilder AddStatsPipeline(this JobQueueBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddStatsPipeline(builder.Configuration);
        builder.Services.AddSingleton<IOwnSecretNames, StatsOwnSecretNames>();
        return builder.AddRoutes(StatsRoutes).AddSchedule(StatsUpdateNightly);
    }

    /// <summary><c>job_queue_cleanup</c>: the daily cleanup and its standing schedule (timer and pg_cron).</summary>
    public static JobQueueBuilder AddCleanupJob(this JobQueueBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddJobHandler<CleanupHandler>();
        return builder.AddSchedule(JobQueueCleanup, new StandingSchedule("standing_job_queue_cleanup", "15 3 * * *", CleanupHandler.Name));
    }

    /// <summary>The configured name of the stats cache-invalidation secret is one of the app's own.</summary>
    private sealed class StatsOwnSecretNames(IOptions<StatsUpdateOptions> stats) : IOwnSecretNames
    {
        public IEnumerable<string?> Names => [stats.Value.CacheInvalidationSecret];
    }
}
