using JobQueue.Api;
using JobQueue.Composition;
using JobQueue.Dashboard;
using JobQueue.Database;
using JobQueue.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace JobQueue.Server;

/// <summary>
/// The self-hosted app: the library's route table on <c>/api/...</c> with minimal APIs, the schedules
/// in a hosted service, a polling runner, the queue's upkeep (leader-elected), migrations at startup
/// (retried in the background until the database is there), OpenTelemetry to Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (with ASP.NET Core's request spans). Tests build the
/// very same app on a TestServer by calling these two methods.
/// </summary>
public static class JobQueueServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The engine with every module: the general job types, the Game Platform integration, the Supabase tooling.</summary>
    public static void ConfigureBuilder(WebApplicationBuilder builder) => AddEveryModule(ConfigureEngine(builder));

    /// <summary>The modules the server composes on the engine (its <c>migrate</c> command composes the same: their migration sets).</summary>
    public static JobQueueBuilder AddEveryModule(JobQueueBuilder engine) =>
        engine.AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling();

    /// <summary>The server with the engine alone (no job type, module route or schedule); the modules chain on the result.</summary>
    public static JobQueueBuilder ConfigureEngine(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Services.AddProblemDetails();
        var jobQueue = builder.Services.AddJobQueue(builder.Configuration);
        builder.Services.AddJobQueueOpenTelemetry(builder.Configuration, otel => otel.WithTracing(t => t.AddAspNetCoreInstrumentation()));
        builder.Services.AddOptions<ServerRunnerOptions>().Bind(builder.Configuration.GetSection(ServerRunnerOptions.Section));
        builder.Services.AddHostedService<ScheduleHostedService>();
        builder.Services.AddHostedService<RunnerPollingService>();
        builder.Services.AddHostedService<MaintenanceHostedService>();
        return jobQueue;
    }

    /// <summary>
    /// Maps every route of the composed <see cref="ApiRouteTable"/> (the engine's and the modules') on <c>/api/...</c>, the dashboard on <c>/</c> and the
    /// probes <c>/healthz/live</c> and <c>/healthz/ready</c>. The database start-up (migrations unless
    /// <c>Database:MigrateOnStartup=false</c>) runs in the background (<see cref="DatabaseStartupService"/>):
    /// the server starts and answers "not ready" while PostgreSQL is down, and becomes ready by itself
    /// when it returns.
    /// </summary>
    public static Task ConfigureAppAsync(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        foreach (var route in app.Services.GetRequiredService<ApiPipeline>().Routes)
        {
            app.MapMethods("/api/" + route.Template, [route.Method], (Func<HttpContext, Task<IResult>>)(context => ApiPipeline.InvokeAsync(route, context)))
                .WithName(route.Name);
        }

        // the dashboard at the server's root too (its files are also at /api/dashboard/..., as on Functions)
        app.MapGet("/", (HttpContext context, DashboardEndpoint dashboard) => dashboard.GetAsync(context.Request, "", context.RequestAborted));
        app.MapGet("/assets/{*path}", (HttpContext context, string? path, DashboardEndpoint dashboard) =>
            dashboard.GetAsync(context.Request, "assets/" + path, context.RequestAborted));

        app.MapGet("/healthz/live", (ReadinessEndpoint probe) => probe.Live()).WithName("Live");
        app.MapGet("/healthz/ready", (ReadinessEndpoint probe, HttpContext context) => probe.ReadyAsync(context)).WithName("Ready");
        return Task.CompletedTask;
    }
}
