using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The pg_cron admin routes of the route table: schedules and runs, create, toggle, reschedule, delete, run now, install the standing ones, check a schedule, and the pg_net migration.</summary>
public sealed class CronAdminFunctions(ApiPipeline pipeline)
{
    [Function("AdminCronJobsList")]
    public Task<IResult> AdminCronJobsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cron-jobs")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsList", request.HttpContext);

    [Function("AdminCronJobsCreate")]
    public Task<IResult> AdminCronJobsCreate([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/create")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsCreate", request.HttpContext);

    [Function("AdminCronJobsToggle")]
    public Task<IResult> AdminCronJobsToggle([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/toggle")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsToggle", request.HttpContext);

    [Function("AdminCronJobsSchedule")]
    public Task<IResult> AdminCronJobsSchedule([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/schedule")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsSchedule", request.HttpContext);

    [Function("AdminCronJobsDelete")]
    public Task<IResult> AdminCronJobsDelete([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/delete")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsDelete", request.HttpContext);

    [Function("AdminCronJobsRun")]
    public Task<IResult> AdminCronJobsRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/{name}/run")] HttpRequest request, string name) =>
        pipeline.InvokeAsync("AdminCronJobsRun", request.HttpContext, name);

    [Function("AdminCronJobsInstallStanding")]
    public Task<IResult> AdminCronJobsInstallStanding([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/install-standing")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsInstallStanding", request.HttpContext);

    [Function("AdminCronJobsDescribe")]
    public Task<IResult> AdminCronJobsDescribe([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cron-jobs/describe")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsDescribe", request.HttpContext);

    [Function("AdminCronJobsPgNetList")]
    public Task<IResult> AdminCronJobsPgNetList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cron-jobs/pg-net")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsPgNetList", request.HttpContext);

    [Function("AdminCronJobsPgNetConvert")]
    public Task<IResult> AdminCronJobsPgNetConvert([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/pg-net/convert")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCronJobsPgNetConvert", request.HttpContext);
}
