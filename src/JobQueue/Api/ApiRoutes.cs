using JobQueue.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Api;

/// <summary>Who may call a route.</summary>
public enum ApiAuth
{
    /// <summary>The runner secret (x-job-runner-secret or bearer).</summary>
    Runner,

    /// <summary>The admin token (bearer) or an App Service principal with the admin role.</summary>
    Admin,

    /// <summary>
    /// Nobody in particular: static files that hold no data (the dashboard's HTML, CSS and scripts). The
    /// Functions app serves them with AuthorizationLevel.Anonymous, so that a browser loads the page
    /// without a function key in its address.
    /// </summary>
    Public,
}

/// <summary>
/// One API route: its stable function name (the Azure Functions function has this name), HTTP
/// method, route template WITHOUT the <c>/api</c> prefix (Functions adds it; the server maps
/// <c>/api/{Template}</c>), who may call it, and the call into the endpoint class (wrapped in
/// <see cref="DatabaseOutageGuard"/>: 503 with Retry-After while the database is unavailable).
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Template, ApiAuth Auth, Func<HttpContext, Task<IResult>> Invoke);

/// <summary>
/// The ENGINE's route table; the modules add theirs (<see cref="ApiRouteSet"/>) and every host maps the union, <see cref="ApiRouteTable"/>. To add an area: write an endpoints class
/// (public <c>Task&lt;IResult&gt; XxxAsync(HttpRequest, [string routeValue,] CancellationToken)</c> methods
/// that authenticate, validate and act), register it in <see cref="EndpointTypes"/>, and add its
/// routes below with <see cref="Route{TEndpoints}(string, string, string, ApiAuth, Func{TEndpoints, HttpRequest, CancellationToken, Task{IResult}})"/>.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The engine's endpoint classes, registered as singletons by <c>AddJobQueue</c>.</summary>
    public static IReadOnlyList<Type> EndpointTypes { get; } =
    [
        typeof(RunnerEndpoints),
        typeof(HealthEndpoint),
        typeof(JobEndpoints),
        typeof(QueueSettingsEndpoints),
        typeof(CronJobEndpoints),
        typeof(CronJobRunEndpoint),
        typeof(TaskLimitEndpoints),
        typeof(CronScheduleEndpoint),
        typeof(TaskTypesEndpoint),
        typeof(TriggerActionsEndpoint),
        typeof(JobBulkEndpoints),
        typeof(ThroughputEndpoint),
        typeof(AuditEndpoint),
        typeof(DashboardEndpoint),
    ];

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        // runner
        Route<RunnerEndpoints>("JobsRun", "POST", "jobs/run", ApiAuth.Runner, (e, r, ct) => e.RunAsync(r, ct)),
        // Vercel Cron: GET, no body, Authorization: Bearer $CRON_SECRET (= the runner secret)
        Route<RunnerEndpoints>("JobsRunGet", "GET", "jobs/run", ApiAuth.Runner, (e, r, ct) => e.RunDefaultAsync(r, ct)),

        // queue health and settings
        Route<HealthEndpoint>("AdminHealth", "GET", "admin/job-queue/health", ApiAuth.Admin, (e, r, ct) => e.GetAsync(r, ct)),
        Route<QueueSettingsEndpoints>("AdminSettingsGet", "GET", "admin/job-queue/settings", ApiAuth.Admin, (e, r, ct) => e.GetAsync(r, ct)),
        Route<QueueSettingsEndpoints>("AdminSettingsPut", "PUT", "admin/job-queue/settings", ApiAuth.Admin, (e, r, ct) => e.PutAsync(r, ct)),
        Route<ThroughputEndpoint>("AdminThroughput", "GET", "admin/job-queue/throughput", ApiAuth.Admin, (e, r, ct) => e.GetAsync(r, ct)),

        // jobs
        Route<JobEndpoints>("AdminJobsList", "GET", "admin/jobs", ApiAuth.Admin, (e, r, ct) => e.ListAsync(r, ct)),
        Route<TaskTypesEndpoint>("AdminTaskTypes", "GET", "admin/task-types", ApiAuth.Admin, (e, r, ct) => e.GetAsync(r, ct)),
        Route<TriggerActionsEndpoint>("AdminTriggerActions", "GET", "admin/trigger-actions", ApiAuth.Admin, (e, r, ct) => e.ListAsync(r, ct)),
        Route<JobEndpoints>("AdminJobsEnqueue", "POST", "admin/jobs", ApiAuth.Admin, (e, r, ct) => e.EnqueueAsync(r, ct)),
        Route<JobBulkEndpoints>("AdminJobsBulkRetry", "POST", "admin/jobs/bulk-retry", ApiAuth.Admin, (e, r, ct) => e.RetryAsync(r, ct)),
        Route<JobBulkEndpoints>("AdminJobsBulkCancel", "POST", "admin/jobs/bulk-cancel", ApiAuth.Admin, (e, r, ct) => e.CancelAsync(r, ct)),
        Route<JobEndpoints>("AdminJobsGet", "GET", "admin/jobs/{id}", ApiAuth.Admin, (e, r, id, ct) => e.GetAsync(r, id, ct)),
        Route<JobEndpoints>("AdminJobsRetry", "POST", "admin/jobs/{id}/retry", ApiAuth.Admin, (e, r, id, ct) => e.RetryAsync(r, id, ct)),
        Route<JobEndpoints>("AdminJobsCancel", "POST", "admin/jobs/{id}/cancel", ApiAuth.Admin, (e, r, id, ct) => e.CancelAsync(r, id, ct)),
        Route<JobEndpoints>("AdminJobsRunNow", "POST", "admin/jobs/{id}/run-now", ApiAuth.Admin, (e, r, id, ct) => e.RunNowAsync(r, id, ct)),

        // pg_cron schedules
        Route<CronJobEndpoints>("AdminCronJobsList", "GET", "admin/cron-jobs", ApiAuth.Admin, (e, r, ct) => e.ListAsync(r, ct)),
        Route<CronJobEndpoints>("AdminCronJobsCreate", "POST", "admin/cron-jobs/create", ApiAuth.Admin, (e, r, ct) => e.CreateAsync(r, ct)),
        Route<CronJobEndpoints>("AdminCronJobsToggle", "POST", "admin/cron-jobs/toggle", ApiAuth.Admin, (e, r, ct) => e.ToggleAsync(r, ct)),
        Route<CronJobEndpoints>("AdminCronJobsSchedule", "POST", "admin/cron-jobs/schedule", ApiAuth.Admin, (e, r, ct) => e.RescheduleAsync(r, ct)),
        Route<CronJobEndpoints>("AdminCronJobsDelete", "POST", "admin/cron-jobs/delete", ApiAuth.Admin, (e, r, ct) => e.DeleteAsync(r, ct)),
        Route<CronJobRunEndpoint>("AdminCronJobsRun", "POST", "admin/cron-jobs/{name}/run", ApiAuth.Admin, (e, r, name, ct) => e.RunAsync(r, name, ct)),
        // flow control per task type
        Route<TaskLimitEndpoints>("AdminTaskLimitsList", "GET", "admin/task-limits", ApiAuth.Admin, (e, r, ct) => e.ListAsync(r, ct)),
        Route<TaskLimitEndpoints>("AdminTaskLimitsSet", "POST", "admin/task-limits/set", ApiAuth.Admin, (e, r, ct) => e.SetAsync(r, ct)),
        Route<TaskLimitEndpoints>("AdminTaskLimitsPause", "POST", "admin/task-limits/pause", ApiAuth.Admin, (e, r, ct) => e.PauseAsync(r, ct)),
        Route<TaskLimitEndpoints>("AdminTaskLimitsResume", "POST", "admin/task-limits/resume", ApiAuth.Admin, (e, r, ct) => e.ResumeAsync(r, ct)),

        Route<CronJobEndpoints>("AdminCronJobsInstallStanding", "POST", "admin/cron-jobs/install-standing", ApiAuth.Admin, (e, r, ct) => e.InstallStandingAsync(r, ct)),
        Route<CronScheduleEndpoint>("AdminCronJobsDescribe", "GET", "admin/cron-jobs/describe", ApiAuth.Admin, (e, r, ct) => e.DescribeAsync(r, ct)),



        // the audit log of admin actions
        Route<AuditEndpoint>("AdminAudit", "GET", "admin/audit", ApiAuth.Admin, (e, r, ct) => e.ListAsync(r, ct)),

        // the browser dashboard's static files (the server also serves them at / and /assets/...)
        Route<DashboardEndpoint>("Dashboard", "GET", "dashboard/{*path}", ApiAuth.Public, (e, r, path, ct) => e.GetAsync(r, path, ct)),
    ];

    /// <summary>A route without route values.</summary>
    public static ApiRoute Route<TEndpoints>(
        string name, string method, string template, ApiAuth auth, Func<TEndpoints, HttpRequest, CancellationToken, Task<IResult>> call)
        where TEndpoints : notnull =>
        new(name, method, template, auth, ctx => DatabaseOutageGuard.InvokeAsync(
            ctx, () => call(ctx.RequestServices.GetRequiredService<TEndpoints>(), ctx.Request, ctx.RequestAborted)));

    /// <summary>A route with one route value, <c>{id}</c> or a catch-all such as <c>{*path}</c>.</summary>
    public static ApiRoute Route<TEndpoints>(
        string name, string method, string template, ApiAuth auth, Func<TEndpoints, HttpRequest, string, CancellationToken, Task<IResult>> call)
        where TEndpoints : notnull
    {
        var valueName = RouteValueName(template);
        return new(name, method, template, auth, ctx => DatabaseOutageGuard.InvokeAsync(ctx, () => call(
            ctx.RequestServices.GetRequiredService<TEndpoints>(), ctx.Request, ctx.Request.RouteValues[valueName]?.ToString() ?? "", ctx.RequestAborted)));
    }

    /// <summary>The name of the template's route value: <c>id</c> for <c>{id}</c>, <c>path</c> for <c>{*path}</c>.</summary>
    private static string RouteValueName(string template)
    {
        var start = template.IndexOf('{', StringComparison.Ordinal);
        var end = template.IndexOf('}', start + 1);
        return template[(start + 1)..end].TrimStart('*');
    }
}
