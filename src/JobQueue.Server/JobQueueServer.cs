using JobQueue.Api;
using JobQueue.Dashboard;
using JobQueue.Database;
using JobQueue.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace JobQueue.Server;

/// <summary>
/// The self-hosted app: the library's route table on <c>/api/...</c> with minimal APIs, the schedules
/// in a hosted service, a polling runner, migrations at startup, OpenTelemetry to Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (with ASP.NET Core's request spans). Tests build the
/// very same app on a TestServer by calling these two methods.
/// </summary>
public static class JobQueueServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static void ConfigureBuilder(WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Services.AddProblemDetails();
        builder.Services.AddJobQueue(builder.Configuration);
        builder.Services.AddJobQueueOpenTelemetry(builder.Configuration, otel => otel.WithTracing(t => t.AddAspNetCoreInstrumentation()));
        builder.Services.AddOptions<ServerRunnerOptions>().Bind(builder.Configuration.GetSection(ServerRunnerOptions.Section));
        builder.Services.AddHostedService<ScheduleHostedService>();
        builder.Services.AddHostedService<RunnerPollingService>();
    }

    /// <summary>
    /// Migrates (unless <c>Database:MigrateOnStartup=false</c>), maps every route of <see cref="ApiRoutes.All"/>
    /// on <c>/api/...</c> and the dashboard on <c>/</c>.
    /// </summary>
    public static async Task ConfigureAppAsync(WebApplication app)
    {
        await StartupMigration.RunIfEnabledAsync(app.Services);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        foreach (var route in ApiRoutes.All)
        {
            app.MapMethods("/api/" + route.Template, [route.Method], route.Invoke).WithName(route.Name);
        }

        // the dashboard at the server's root too (its files are also at /api/dashboard/..., as on Functions)
        app.MapGet("/", (HttpContext context, DashboardEndpoint dashboard) => dashboard.GetAsync(context.Request, "", context.RequestAborted));
        app.MapGet("/assets/{*path}", (HttpContext context, string? path, DashboardEndpoint dashboard) =>
            dashboard.GetAsync(context.Request, "assets/" + path, context.RequestAborted));
    }
}
