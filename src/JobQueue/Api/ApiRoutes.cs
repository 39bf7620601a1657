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
/// and validated the request record, and audits the call), and add its routes (the endpoints class is registered as a singleton
/// from its routes: <see cref="ApiRoute.EndpointType"/>) below with <see cref="Route{TEndpoints}(string, string, string, ApiAuth, Func{TEndpoints, ApiCall, Task{IResult}})"/>
/// or <see cref="Route{TEndpoints, TRequest}(string, string, string, ApiAuth, Func{TEndpoints, ApiCall, TRequest, Task{IResult}})"/>,
/// with <c>Audit</c> for a changing admin route. New routes are resource-style (<c>POST admin/things</c>,
/// <c>PUT admin/things/{id}</c>); the RPC-style ones below stay as they are because the teams' clients call them.
/// </summary>
public static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        // runner
        Route<RunnerEndpoints, RunRequest>("JobsRun", "POST", "jobs/run", ApiAuth.Runner, (e, c, r) => e.RunAsync(c, r))
            with { ResponseType = typeof(RunnerReport), Summary = "Run a runner pass: claim and run due jobs" },
        // Vercel Cron: GET, no body, Authorization: Bearer $CRON_SECRET (= the runner secret)
        Route<RunnerEndpoints>("JobsRunGet", "GET", "jobs/run", ApiAuth.Runner, (e, c) => e.RunDefaultAsync(c))
            with { ResponseType = typeof(RunnerReport), Summary = "Run a default runner pass (Vercel Cron)",
                Description = "For Vercel Cron (seed 002): a `crons` entry with path `/api/jobs/run` makes Vercel call `GET /api/jobs/run` with "
                    + "`Authorization: Bearer $CRON_SECRET`; set the runner secret to the CRON_SECRET value. No body is read; the pass runs "
                    + "`Runner:DefaultLimit` jobs, not forced, not draining, and answers as `POST /api/jobs/run`." },

        // queue health and settings
        Route<HealthEndpoint>("AdminHealth", "GET", "admin/job-queue/health", ApiAuth.Admin, (e, c) => e.GetAsync(c))
            with { ResponseType = typeof(HealthResponse), Summary = "Read the queue's health: counts, pause, stuck jobs, recent failures and runs" },
        Route<QueueSettingsEndpoints>("AdminSettingsGet", "GET", "admin/job-queue/settings", ApiAuth.Admin, (e, c) => e.GetAsync(c))
            with { ResponseType = typeof(QueueSettings), Summary = "Read the queue settings (processing enabled, pause reason)" },
        Route<QueueSettingsEndpoints, QueueSettingsRequest>("AdminSettingsPut", "PUT", "admin/job-queue/settings", ApiAuth.Admin, (e, c, r) => e.PutAsync(c, r))
            with { Audit = new("settings.update", "processing"), ResponseType = typeof(QueueSettings), Summary = "Pause or resume processing" },
        Route<ThroughputEndpoint, ThroughputRequest>("AdminThroughput", "GET", "admin/job-queue/throughput", ApiAuth.Admin, (e, c, r) => e.GetAsync(c, r))
            with { ResponseType = typeof(ThroughputResponse), Summary = "Attempts finished per minute over the last hour or day" },

        // jobs
        Route<JobEndpoints, JobListRequest>("AdminJobsList", "GET", "admin/jobs", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
            with { ResponseType = typeof(JobListResponse), Summary = "List jobs with filters, newest first (keyset pages)" },
        Route<TaskTypesEndpoint>("AdminTaskTypes", "GET", "admin/task-types", ApiAuth.Admin, (e, _) => Task.FromResult(e.Get()))
            with { ResponseType = typeof(TaskTypesResponse), Summary = "List the registered task types" },
        // the dashboard's trigger buttons, as the modules registered them (TriggerAction)
        Route<TriggerActionsEndpoint>("AdminTriggerActions", "GET", "admin/trigger-actions", ApiAuth.Admin, (e, _) => Task.FromResult(e.List()))
            with { ResponseType = typeof(TriggerActionsResponse), Summary = "List the dashboard's trigger buttons the modules registered" },
        Route<JobEndpoints, EnqueueJobRequest>("AdminJobsEnqueue", "POST", "admin/jobs", ApiAuth.Admin, (e, c, r) => e.EnqueueAsync(c, r))
            with { Audit = new("job.enqueue"), SuccessStatus = StatusCodes.Status201Created, ResponseType = typeof(JobEnqueuedResponse), Summary = "Enqueue a job of a registered task type" },
        Route<JobBulkEndpoints, BulkRetryRequest>("AdminJobsBulkRetry", "POST", "admin/jobs/bulk-retry", ApiAuth.Admin, (e, c, r) => e.RetryAsync(c, r))
            with { Audit = new("jobs.bulk-retry"), ResponseType = typeof(BulkActionResponse), Summary = "Retry the failed and cancelled jobs that match a filter" },
        Route<JobBulkEndpoints, BulkCancelRequest>("AdminJobsBulkCancel", "POST", "admin/jobs/bulk-cancel", ApiAuth.Admin, (e, c, r) => e.CancelAsync(c, r))
            with { Audit = new("jobs.bulk-cancel"), ResponseType = typeof(BulkActionResponse), Summary = "Cancel the pending and processing jobs that match a filter" },
        Route<JobEndpoints>("AdminJobsGet", "GET", "admin/jobs/{id}", ApiAuth.Admin, (e, c) => e.GetAsync(c))
            with { ErrorStatuses = [404], ResponseType = typeof(JobDetail), Summary = "Read one job with its attempt history and why it waits" },
        Route<JobEndpoints, JobActionRequest>("AdminJobsRetry", "POST", "admin/jobs/{id}/retry", ApiAuth.Admin, (e, c, r) => e.RetryAsync(c, r))
            with { Audit = new("job.retry"), ErrorStatuses = [404, 409], ResponseType = typeof(JobActionResponse), Summary = "Retry a failed or cancelled job from attempt 1" },
        Route<JobEndpoints, JobActionRequest>("AdminJobsCancel", "POST", "admin/jobs/{id}/cancel", ApiAuth.Admin, (e, c, r) => e.CancelAsync(c, r))
            with { Audit = new("job.cancel"), ErrorStatuses = [404, 409], ResponseType = typeof(JobActionResponse), Summary = "Cancel a pending or processing job" },
        Route<JobEndpoints, JobActionRequest>("AdminJobsRunNow", "POST", "admin/jobs/{id}/run-now", ApiAuth.Admin, (e, c, r) => e.RunNowAsync(c, r))
            with { Audit = new("job.run-now"), ErrorStatuses = [404, 409], ResponseType = typeof(JobActionResponse), Summary = "Make a pending job due now" },

        // pg_cron schedules
        Route<CronJobEndpoints, CronRunsRequest>("AdminCronJobsList", "GET", "admin/cron-jobs", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
            with { ResponseType = typeof(CronJobListResponse), Summary = "List the app's pg_cron jobs, their recent runs and a summary" },
        Route<CronJobEndpoints, CronJobCreateRequest>("AdminCronJobsCreate", "POST", "admin/cron-jobs/create", ApiAuth.Admin, (e, c, r) => e.CreateAsync(c, r))
            with { Audit = new("cron.create"), SuccessStatus = StatusCodes.Status201Created, ErrorStatuses = [409], ResponseType = typeof(CronJob), Summary = "Create a pg_cron job that enqueues a task" },
        Route<CronJobEndpoints, CronJobToggleRequest>("AdminCronJobsToggle", "POST", "admin/cron-jobs/toggle", ApiAuth.Admin, (e, c, r) => e.ToggleAsync(c, r))
            with { Audit = new("cron.toggle"), ErrorStatuses = [404], ResponseType = typeof(CronJob), Summary = "Enable or disable a pg_cron job" },
        Route<CronJobEndpoints, CronJobRescheduleRequest>("AdminCronJobsSchedule", "POST", "admin/cron-jobs/schedule", ApiAuth.Admin, (e, c, r) => e.RescheduleAsync(c, r))
            with { Audit = new("cron.reschedule"), ErrorStatuses = [404], ResponseType = typeof(CronJob), Summary = "Change a pg_cron job's schedule" },
        Route<CronJobEndpoints, CronJobNameRequest>("AdminCronJobsDelete", "POST", "admin/cron-jobs/delete", ApiAuth.Admin, (e, c, r) => e.DeleteAsync(c, r))
            with { Audit = new("cron.delete"), ErrorStatuses = [404], ResponseType = typeof(CronJobDeletedResponse), Summary = "Delete a pg_cron job" },
        Route<CronJobRunEndpoint>("AdminCronJobsRun", "POST", "admin/cron-jobs/{name}/run", ApiAuth.Admin, (e, c) => e.RunAsync(c))
            with { Audit = new("cron.run"), ErrorStatuses = [404, 409], ResponseType = typeof(CronJobRunResponse), Summary = "Enqueue a pg_cron job's task once, now" },
        // flow control per task type
        Route<TaskLimitEndpoints>("AdminTaskLimitsList", "GET", "admin/task-limits", ApiAuth.Admin, (e, c) => e.ListAsync(c))
            with { ResponseType = typeof(TaskLimitListResponse), Summary = "List each task type's limits, pause and running jobs" },
        Route<TaskLimitEndpoints, TaskLimitSetRequest>("AdminTaskLimitsSet", "POST", "admin/task-limits/set", ApiAuth.Admin, (e, c, r) => e.SetAsync(c, r))
            with { Audit = new("task-limits.set"), ResponseType = typeof(TaskLimitResponse), Summary = "Set a task type's concurrency and rate limits" },
        Route<TaskLimitEndpoints, TaskLimitPauseRequest>("AdminTaskLimitsPause", "POST", "admin/task-limits/pause", ApiAuth.Admin, (e, c, r) => e.PauseAsync(c, r))
            with { Audit = new("task-limits.pause"), ResponseType = typeof(TaskLimitResponse), Summary = "Pause a task type until a time" },
        Route<TaskLimitEndpoints, TaskTypeRequest>("AdminTaskLimitsResume", "POST", "admin/task-limits/resume", ApiAuth.Admin, (e, c, r) => e.ResumeAsync(c, r))
            with { Audit = new("task-limits.resume"), ResponseType = typeof(TaskLimitResponse), Summary = "Resume a paused task type" },

        Route<CronJobEndpoints>("AdminCronJobsInstallStanding", "POST", "admin/cron-jobs/install-standing", ApiAuth.Admin, (e, c) => e.InstallStandingAsync(c))
            with { Audit = new("cron.install-standing"), ResponseType = typeof(StandingInstallResponse), Summary = "Install the standing pg_cron jobs (idempotent)" },
        Route<CronScheduleEndpoint, CronDescribeRequest>("AdminCronJobsDescribe", "GET", "admin/cron-jobs/describe", ApiAuth.Admin,
            (e, _, r) => Task.FromResult(e.Describe(r))) with { ResponseType = typeof(CronScheduleDescription), Summary = "Describe a cron schedule in words with its next five runs" },

        // the audit log of admin actions
        Route<AuditEndpoint, AuditListRequest>("AdminAudit", "GET", "admin/audit", ApiAuth.Admin, (e, c, r) => e.ListAsync(c, r))
            with { ResponseType = typeof(AuditListResponse), Summary = "List the audit log of admin actions, newest first" },

        // this API's OpenAPI document, generated from the route table (OpenApi/), and its browsable reference (Scalar)
        Route<ApiDocumentEndpoint>("OpenApiDocument", "GET", "openapi.json", ApiAuth.Public, (e, _) => Task.FromResult(e.Get()))
            with { Summary = "This OpenAPI document" },
        Route<ApiReferenceEndpoint>("ApiReference", "GET", "reference/{*path}", ApiAuth.Public, (e, c) => Task.FromResult(e.Get(c.Request, c.RouteValue)))
            with { ResponseMediaType = "text/html", ErrorStatuses = [404], Summary = "The browsable API reference page" },

        // the browser dashboard's static files (the server also serves them at / and /assets/...)
        Route<DashboardEndpoint>("Dashboard", "GET", "dashboard/{*path}", ApiAuth.Public, (e, c) => e.GetAsync(c.Request, c.RouteValue, c.Aborted))
            with { ResponseMediaType = "text/html", ErrorStatuses = [404], Summary = "The dashboard's static files" },
    ];

    /// <summary>A route that binds no request (a non-GET one still has its body checked: JSON, bounded).</summary>
    public static ApiRoute Route<TEndpoints>(string name, string method, string template, ApiAuth auth, Func<TEndpoints, ApiCall, Task<IResult>> handle)
        where TEndpoints : notnull =>
        new(name, method, template, auth) { EndpointType = typeof(TEndpoints), Handle = (call, _) => handle(Endpoints<TEndpoints>(call), call) };

    /// <summary>A route whose request record <typeparamref name="TRequest"/> binds from the body (or, for GET, the query).</summary>
    public static ApiRoute Route<TEndpoints, TRequest>(
        string name, string method, string template, ApiAuth auth, Func<TEndpoints, ApiCall, TRequest, Task<IResult>> handle)
        where TEndpoints : notnull
        where TRequest : IApiRequest<TRequest> =>
        new(name, method, template, auth)
        {
            EndpointType = typeof(TEndpoints),
            RequestType = typeof(TRequest),
            RequestSource = HttpMethods.IsGet(method) ? ApiRequestSource.Query : ApiRequestSource.Body,
            Bind = (fields, query) => TRequest.Bind(fields, query),
            Handle = (call, request) => handle(Endpoints<TEndpoints>(call), call, (TRequest)request!),
        };

    private static TEndpoints Endpoints<TEndpoints>(ApiCall call)
        where TEndpoints : notnull => call.Request.HttpContext.RequestServices.GetRequiredService<TEndpoints>();
}
