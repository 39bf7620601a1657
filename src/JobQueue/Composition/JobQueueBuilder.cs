using JobQueue.Api;
using JobQueue.Cron;
using JobQueue.Runner;
using JobQueue.Database;
using JobQueue.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobQueue.Composition;

/// <summary>
/// What <c>AddJobQueue</c> returns: the engine's services and configuration, to which the modules add
/// their job types, routes, standing schedules and dashboard actions
/// (<c>services.AddJobQueue(configuration).AddHttpJobs().AddGamePlatform()</c>).
/// </summary>
public sealed class JobQueueBuilder(IServiceCollection services, IConfiguration configuration)
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration Configuration { get; } = configuration;

    /// <summary>Registers a job handler (its task type comes from the handler): <c>AddJobQueue(configuration).AddJobHandler&lt;MyHandler&gt;()</c>.</summary>
    public JobQueueBuilder AddJobHandler<THandler>()
        where THandler : class, IJobHandler
    {
        Services.AddJobHandler<THandler>();
        return this;
    }

    /// <summary>Adds routes to the route table (<see cref="ApiRouteTable"/>) and registers their endpoint classes.</summary>
    public JobQueueBuilder AddRoutes(ApiRouteSet routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (var endpoints in routes.EndpointTypes)
        {
            Services.TryAddSingleton(endpoints);
        }

        Services.AddSingleton(routes);
        return this;
    }

    /// <summary>
    /// Adds a schedule (<see cref="ScheduleTable"/>): the app's timer, and optionally the same standing job
    /// as pg_cron runs it (<c>admin/cron-jobs/install-standing</c>).
    /// </summary>
    public JobQueueBuilder AddSchedule(ScheduleDefinition timer, StandingSchedule? pgCron = null)
    {
        ArgumentNullException.ThrowIfNull(timer);
        Services.AddSingleton(new ScheduleRegistration(timer, pgCron));
        return this;
    }

    /// <summary>
    /// Adds a module's own migration set (tables and functions in its own schema): the migrator applies it
    /// after the engine's, under the same lock, wherever the engine migrates (start-up, the server's
    /// <c>migrate</c> command).
    /// </summary>
    public JobQueueBuilder AddModuleSchema(ModuleSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!Services.Any(d => d.ImplementationInstance is ModuleSchema added && added.Schema == schema.Schema))
        {
            Services.AddSingleton(schema);
        }

        return this;
    }

    /// <summary>Adds a button to the dashboard's triggers (listed by <c>GET admin/trigger-actions</c>).</summary>
    public JobQueueBuilder AddTriggerAction(TriggerAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Services.AddSingleton(action);
        return this;
    }
}
