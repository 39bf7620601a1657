using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The jobs admin routes of the route table: list, task types, enqueue, bulk retry and cancel, triggers (the stats pipeline's and its status table too), one job and its actions.</summary>
public sealed class JobAdminFunctions(ApiPipeline pipeline)
{
    [Function("AdminJobsList")]
    public Task<IResult> AdminJobsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/jobs")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsList", request.HttpContext);

    [Function("AdminTaskTypes")]
    public Task<IResult> AdminTaskTypes([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/task-types")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminTaskTypes", request.HttpContext);

    [Function("AdminTriggerActions")]
    public Task<IResult> AdminTriggerActions([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/trigger-actions")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminTriggerActions", request.HttpContext);

    [Function("AdminJobsEnqueue")]
    public Task<IResult> AdminJobsEnqueue([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsEnqueue", request.HttpContext);

    [Function("AdminJobsBulkRetry")]
    public Task<IResult> AdminJobsBulkRetry([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/bulk-retry")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsBulkRetry", request.HttpContext);

    [Function("AdminJobsBulkCancel")]
    public Task<IResult> AdminJobsBulkCancel([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/bulk-cancel")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsBulkCancel", request.HttpContext);

    [Function("AdminJobsTriggerSync")]
    public Task<IResult> AdminJobsTriggerSync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/trigger-sync")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsTriggerSync", request.HttpContext);

    [Function("AdminJobsTriggerTotalsSweep")]
    public Task<IResult> AdminJobsTriggerTotalsSweep([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/trigger-totals-sweep")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsTriggerTotalsSweep", request.HttpContext);

    [Function("AdminJobsEnqueueStats")]
    public Task<IResult> AdminJobsEnqueueStats([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/enqueue-stats-job")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminJobsEnqueueStats", request.HttpContext);

    [Function("AdminStatsJobsList")]
    public Task<IResult> AdminStatsJobsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/stats-jobs")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminStatsJobsList", request.HttpContext);

    [Function("AdminJobsGet")]
    public Task<IResult> AdminJobsGet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/jobs/{id}")] HttpRequest request, string id) =>
        pipeline.InvokeAsync("AdminJobsGet", request.HttpContext, id);

    [Function("AdminJobsRetry")]
    public Task<IResult> AdminJobsRetry([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/{id}/retry")] HttpRequest request, string id) =>
        pipeline.InvokeAsync("AdminJobsRetry", request.HttpContext, id);

    [Function("AdminJobsCancel")]
    public Task<IResult> AdminJobsCancel([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/{id}/cancel")] HttpRequest request, string id) =>
        pipeline.InvokeAsync("AdminJobsCancel", request.HttpContext, id);

    [Function("AdminJobsRunNow")]
    public Task<IResult> AdminJobsRunNow([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/jobs/{id}/run-now")] HttpRequest request, string id) =>
        pipeline.InvokeAsync("AdminJobsRunNow", request.HttpContext, id);
}
