using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The jobs admin routes of the route table: list, task types, enqueue, bulk retry and cancel, triggers (the stats pipeline's and its status table too), one job and its actions.</summary>
public sealed class JobAdminFunctions(JobEndpoints jobs, TriggerEndpoints triggers, TaskTypesEndpoint taskTypes, TriggerActionsEndpoint triggerActions, JobBulkEndpoints bulk, StatsJobEndpoints stats)
{
    [Function("AdminJobsList")]
    public Task<IResult> AdminJobsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/jobs")] HttpRequest request, CancellationToken cancellationToken) =>
        jobs.ListAsync(request, cancellationToken);

    [Function("AdminTaskTypes")]
    public Task<IResult> AdminTaskTypes([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/task-types")] HttpRequest request, CancellationToken cancellationToken) =>
        taskTypes.GetAsync(request, cancellationToken);

    [Function("AdminTriggerActions")]
    public Task<IResult> AdminTriggerActions([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/trigger-actions")] HttpRequest request, CancellationToken cancellationToken) =>
        triggerActions.ListAsync(request, cancellationToken);

    [Function("AdminJobsEnqueue")]
    public Task<IResult> AdminJobsEnqueue([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs")] HttpRequest request, CancellationToken cancellationToken) =>
        jobs.EnqueueAsync(request, cancellationToken);

    [Function("AdminJobsBulkRetry")]
    public Task<IResult> AdminJobsBulkRetry([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/bulk-retry")] HttpRequest request, CancellationToken cancellationToken) =>
        bulk.RetryAsync(request, cancellationToken);

    [Function("AdminJobsBulkCancel")]
    public Task<IResult> AdminJobsBulkCancel([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/bulk-cancel")] HttpRequest request, CancellationToken cancellationToken) =>
        bulk.CancelAsync(request, cancellationToken);

    [Function("AdminJobsTriggerSync")]
    public Task<IResult> AdminJobsTriggerSync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/trigger-sync")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.TriggerSyncAsync(request, cancellationToken);

    [Function("AdminJobsTriggerTotalsSweep")]
    public Task<IResult> AdminJobsTriggerTotalsSweep([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/trigger-totals-sweep")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.TriggerTotalsSweepAsync(request, cancellationToken);

    [Function("AdminJobsEnqueueStats")]
    public Task<IResult> AdminJobsEnqueueStats([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/enqueue-stats-job")] HttpRequest request, CancellationToken cancellationToken) =>
        stats.EnqueueAsync(request, cancellationToken);

    [Function("AdminStatsJobsList")]
    public Task<IResult> AdminStatsJobsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/stats-jobs")] HttpRequest request, CancellationToken cancellationToken) =>
        stats.ListAsync(request, cancellationToken);

    [Function("AdminJobsGet")]
    public Task<IResult> AdminJobsGet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/jobs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        jobs.GetAsync(request, id, cancellationToken);

    [Function("AdminJobsRetry")]
    public Task<IResult> AdminJobsRetry([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/{id}/retry")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        jobs.RetryAsync(request, id, cancellationToken);

    [Function("AdminJobsCancel")]
    public Task<IResult> AdminJobsCancel([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/{id}/cancel")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        jobs.CancelAsync(request, id, cancellationToken);

    [Function("AdminJobsRunNow")]
    public Task<IResult> AdminJobsRunNow([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/{id}/run-now")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        jobs.RunNowAsync(request, id, cancellationToken);
}
