using JobQueue.Cron;
using JobQueue.Dashboard;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Api;

/// <summary>
/// THE route table: every host runs exactly these entries through <see cref="ApiPipeline"/>. To add an
/// area: write an endpoints class whose methods hold only their own logic (public
/// <c>Task&lt;IResult&gt; XxxAsync(ApiCall[, TRequest])</c>: the pipeline has authenticated the caller, bound
/// and validated the request record, and audits the call), register it in <see cref="EndpointTypes"/>,
/// and add its routes below with <see cref="Route{TEndpoints}(string, string, string, ApiAuth, Func{TEndpoints, ApiCall, Task{IResult}})"/>
/// or <see cref="Route{TEndpoints, TRequest}(string, string, string, ApiAuth, Func{TEndpoints, ApiCall, TRequest, Task{IResult}})"/>,
/// with <c>Audit</c> for a changing admin route. New routes are resource-style (<c>POST admin/things</c>,
/// <c>PUT admin/things/{id}</c>); the RPC-style ones below stay as they are because the teams' clients call them.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The endpoint classes, registered as singletons by <c>AddJobQueue</c>.</summary>
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
        typeof(ApiDocumentEndpoint),
        typeof(ApiReferenceEndpoint),
    ];

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        // runner
        Route<RunnerEndpoints, RunRequest>("JobsRun", "POST", "jobs/run", ApiAuth.Runner, (e, c, r) => e.RunAsync(c, r))
            with { ResponseType = typeof(RunnerReport) },
        // Vercel Cron: GET, no body, Authorization: Bearer $CRON_SECRET (= the runner secret)
        Route<RunnerEndpoints>("JobsRunGet", "GET", "jobs/run", ApiAuth.Runner, (e, c) => e.RunDefaultAsync(c))
            with { ResponseType = typeof(RunnerReport) },

        // queue health and settings
        Route<HealthEndpoint>("AdminHealth", "GET", "admin/job-queue/health", ApiAuth.Admin, (e, c) => e.GetAsync(c))
            with { ResponseType = typeof(HealthResponse) },
        Route<QueueSettingsEndpoints>("AdminSettingsGet", "GET", "admin/job-queue/settings", ApiAuth.Admin, (e, c) => e.GetAsync(c))
            with { ResponseType = typeof(QueueSettings) },
        Route<QueueSettingsEndpoints, QueueSettingsRequest>("AdminSettingsPut", "PUT", "admin/job-queue/settings", ApiAuth.Admin, (e, c, r) => e.PutAsync(c, r))
            with { Audit = new("settings.update", "processing"), ResponseType = typeof(QueueSettings) },
        Route<ThroughputEndpoint, ThroughputRequest>("AdminThroughput", "GET", "admin/job-queue/throughput", ApiAuth.Admin, (e, c, r) => e.GetAsync(c, r))
            with { ResponseType = typeof(ThroughputResponse) },

        // jobs
        Route<JobEndpoints, JobListRequest>("AdminJobsList", "GET", "admin/jobs", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
            with { ResponseType = typeof(JobListResponse) },
        Route<TaskTypesEndpoint>("AdminTaskTypes", "GET", "admin/task-types", ApiAuth.Admin, (e, _) => Task.FromResult(e.Get()))
            with { ResponseType = typeof(TaskTypesResponse) },
        // the dashboard's trigger buttons, as the modules registered them (TriggerAction)
        Route<TriggerActionsEndpoint>("AdminTriggerActions", "GET", "admin/trigger-actions", ApiAuth.Admin, (e, _) => Task.FromResult(e.List()))
            with { ResponseType = typeof(TriggerActionsResponse) },
        Route<JobEndpoints, EnqueueJobRequest>("AdminJobsEnqueue", "POST", "admin/jobs", ApiAuth.Admin, (e, c, r) => e.EnqueueAsync(c, r))
            with { Audit = new("job.enqueue"), SuccessStatus = StatusCodes.Status201Created, ResponseType = typeof(JobEnqueuedResponse) },
        Route<JobBulkEndpoints, BulkRetryRequest>("AdminJobsBulkRetry", "POST", "admin/jobs/bulk-retry", ApiAuth.Admin, (e, c, r) => e.RetryAsync(c, r))
            with { Audit = new("jobs.bulk-retry"), ResponseType = typeof(BulkActionResponse) },
        Route<JobBulkEndpoints, BulkCancelRequest>("AdminJobsBulkCancel", "POST", "admin/jobs/bulk-cancel", ApiAuth.Admin, (e, c, r) => e.CancelAsync(c, r))
            with { Audit = new("jobs.bulk-cancel"), ResponseType = typeof(BulkActionResponse) },
        Route<JobEndpoints>("AdminJobsGet", "GET", "admin/jobs/{id}", ApiAuth.Admin, (e, c) => e.GetAsync(c))
            with { ErrorStatuses = [404], ResponseType = typeof(JobDetail) },
        Route<JobEndpoints, JobActionRequest>("AdminJobsRetry", "POST", "admin/jobs/{id}/retry", ApiAuth.Admin, (e, c, r) => e.RetryAsync(c, r))
            with { Audit = new("job.retry"), ErrorStatuses = [404, 409], ResponseType = typeof(JobActionResponse) },
        Route<JobEndpoints, JobActionRequest>("AdminJobsCancel", "POST", "admin/jobs/{id}/cancel", ApiAuth.Admin, (e, c, r) => e.CancelAsync(c, r))
            with { Audit = new("job.cancel"), ErrorStatuses = [404, 409], ResponseType = typeof(JobActionResponse) },
        Route<JobEndpoints, JobActionRequest>("AdminJobsRunNow", "POST", "admin/jobs/{id}/run-now", ApiAuth.Admin, (e, c, r) => e.RunNowAsync(c, r))
            with { Audit = new("job.run-now"), ErrorStatuses = [404, 409], ResponseType = typeof(JobActionResponse) },

        // pg_cron schedules
        Route<CronJobEndpoints, CronRunsRequest>("AdminCronJobsList", "GET", "admin/cron-jobs", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
            with { ResponseType = typeof(CronJobListResponse) },
        Route<CronJobEndpoints, CronJobCreateRequest>("AdminCronJobsCreate", "POST", "admin/cron-jobs/create", ApiAuth.Admin, (e, c, r) => e.CreateAsync(c, r))
            with { Audit = new("cron.create"), SuccessStatus = StatusCodes.Status201Created, ErrorStatuses = [409], ResponseType = typeof(CronJob) },
        Route<CronJobEndpoints, CronJobToggleRequest>("AdminCronJobsToggle", "POST", "admin/cron-jobs/toggle", ApiAuth.Admin, (e, c, r) => e.ToggleAsync(c, r))
            with { Audit = new("cron.toggle"), ErrorStatuses = [404], ResponseType = typeof(CronJob) },
        Route<CronJobEndpoints, CronJobRescheduleRequest>("AdminCronJobsSchedule", "POST", "admin/cron-jobs/schedule", ApiAuth.Admin, (e, c, r) => e.RescheduleAsync(c, r))
            with { Audit = new("cron.reschedule"), ErrorStatuses = [404], ResponseType = typeof(CronJob) },
        Route<CronJobEndpoints, CronJobNameRequest>("AdminCronJobsDelete", "POST", "admin/cron-jobs/delete", ApiAuth.Admin, (e, c, r) => e.DeleteAsync(c, r))
            with { Audit = new("cron.delete"), ErrorStatuses = [404], ResponseType = typeof(CronJobDeletedResponse) },
        Route<CronJobRunEndpoint>("AdminCronJobsRun", "POST", "admin/cron-jobs/{name}/run", ApiAuth.Admin, (e, c) => e.RunAsync(c))
            with { Audit = new("cron.run"), ErrorStatuses = [404, 409], ResponseType = typeof(CronJobRunResponse) },
        // flow control per task type
        Route<TaskLimitEndpoints>("AdminTaskLimitsList", "GET", "admin/task-limits", ApiAuth.Admin, (e, c) => e.ListAsync(c))
            with { ResponseType = typeof(TaskLimitListResponse) },
        Route<TaskLimitEndpoints, TaskLimitSetRequest>("AdminTaskLimitsSet", "POST", "admin/task-limits/set", ApiAuth.Admin, (e, c, r) => e.SetAsync(c, r))
            with { Audit = new("task-limits.set"), ResponseType = typeof(TaskLimitResponse) },
        Route<TaskLimitEndpoints, TaskLimitPauseRequest>("AdminTaskLimitsPause", "POST", "admin/task-limits/pause", ApiAuth.Admin, (e, c, r) => e.PauseAsync(c, r))
            with { Audit = new("task-limits.pause"), ResponseType = typeof(TaskLimitResponse) },
        Route<TaskLimitEndpoints, TaskTypeRequest>("AdminTaskLimitsResume", "POST", "admin/task-limits/resume", ApiAuth.Admin, (e, c, r) => e.ResumeAsync(c, r))
            with { Audit = new("task-limits.resume"), ResponseType = typeof(TaskLimitResponse) },

        Route<CronJobEndpoints>("AdminCronJobsInstallStanding", "POST", "admin/cron-jobs/install-standing", ApiAuth.Admin, (e, c) => e.InstallStandingAsync(c))
            with { Audit = new("cron.install-standing"), ResponseType = typeof(StandingInstallResponse) },
        Route<CronScheduleEndpoint, CronDescribeRequest>("AdminCronJobsDescribe", "GET", "admin/cron-jobs/describe", ApiAuth.Admin,
            (e, _, r) => Task.FromResult(e.Describe(r))) with { ResponseType = typeof(CronScheduleDescription) },

        // the audit log of admin actions
        Route<AuditEndpoint, AuditListRequest>("AdminAudit", "GET", "admin/audit", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
            with { ResponseType = typeof(AuditListResponse) },

        // this API's OpenAPI document, generated from the route table (OpenApi/), and its browsable reference (Scalar)
        Route<ApiDocumentEndpoint>("OpenApiDocument", "GET", "openapi.json", ApiAuth.Public, (e, _) => Task.FromResult(e.Get())),
        Route<ApiReferenceEndpoint>("ApiReference", "GET", "reference/{*path}", ApiAuth.Public, (e, c) => Task.FromResult(e.Get(c.Request, c.RouteValue)))
            with { ResponseMediaType = "text/html", ErrorStatuses = [404] },

        // the browser dashboard's static files (the server also serves them at / and /assets/...)
        Route<DashboardEndpoint>("Dashboard", "GET", "dashboard/{*path}", ApiAuth.Public, (e, c) => e.GetAsync(c.Request, c.RouteValue, c.Aborted))
            with { ResponseMediaType = "text/html", ErrorStatuses = [404] },
    ];

    /// <summary>A route that binds no request (a non-GET one still has its body checked: JSON, bounded).</summary>
    public static ApiRoute Route<TEndpoints>(string name, string method, string template, ApiAuth auth, Func<TEndpoints, ApiCall, Task<IResult>> handle)
        where TEndpoints : notnull =>
        new(name, method, template, auth) { Handle = (call, _) => handle(Endpoints<TEndpoints>(call), call) };

    /// <summary>A route whose request record <typeparamref name="TRequest"/> binds from the body (or, for GET, the query).</summary>
    public static ApiRoute Route<TEndpoints, TRequest>(
        string name, string method, string template, ApiAuth auth, Func<TEndpoints, ApiCall, TRequest, Task<IResult>> handle)
        where TEndpoints : notnull
        where TRequest : IApiRequest<TRequest> =>
        new(name, method, template, auth)
        {
            RequestType = typeof(TRequest),
            RequestSource = HttpMethods.IsGet(method) ? ApiRequestSource.Query : ApiRequestSource.Body,
            Bind = (fields, query) => TRequest.Bind(fields, query),
            Handle = (call, request) => handle(Endpoints<TEndpoints>(call), call, (TRequest)request!),
        };

    private static TEndpoints Endpoints<TEndpoints>(ApiCall call)
        where TEndpoints : notnull => call.Request.HttpContext.RequestServices.GetRequiredService<TEndpoints>();
}
