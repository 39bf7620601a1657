using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The pg_cron admin routes of the route table: schedules and runs, create, toggle, reschedule, delete, run now, install the standing ones, check a schedule, and the pg_net migration.</summary>
public sealed class CronAdminFunctions(CronJobEndpoints cron, CronJobRunEndpoint run, CronScheduleEndpoint schedules, PgNetEndpoints pgNet)
{
    [Function("AdminCronJobsList")]
    public Task<IResult> AdminCronJobsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cron-jobs")] HttpRequest request, CancellationToken cancellationToken) =>
        cron.ListAsync(request, cancellationToken);

    [Function("AdminCronJobsCreate")]
    public Task<IResult> AdminCronJobsCreate([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/create")] HttpRequest request, CancellationToken cancellationToken) =>
        cron.CreateAsync(request, cancellationToken);

    [Function("AdminCronJobsToggle")]
    public Task<IResult> AdminCronJobsToggle([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/toggle")] HttpRequest request, CancellationToken cancellationToken) =>
        cron.ToggleAsync(request, cancellationToken);

    [Function("AdminCronJobsSchedule")]
    public Task<IResult> AdminCronJobsSchedule([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/schedule")] HttpRequest request, CancellationToken cancellationToken) =>
        cron.RescheduleAsync(request, cancellationToken);

    [Function("AdminCronJobsDelete")]
    public Task<IResult> AdminCronJobsDelete([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/delete")] HttpRequest request, CancellationToken cancellationToken) =>
        cron.DeleteAsync(request, cancellationToken);

    [Function("AdminCronJobsRun")]
    public Task<IResult> AdminCronJobsRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/{name}/run")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        run.RunAsync(request, name, cancellationToken);

    [Function("AdminCronJobsInstallStanding")]
    public Task<IResult> AdminCronJobsInstallStanding([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/install-standing")] HttpRequest request, CancellationToken cancellationToken) =>
        cron.InstallStandingAsync(request, cancellationToken);

    [Function("AdminCronJobsDescribe")]
    public Task<IResult> AdminCronJobsDescribe([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cron-jobs/describe")] HttpRequest request, CancellationToken cancellationToken) =>
        schedules.DescribeAsync(request, cancellationToken);

    [Function("AdminCronJobsPgNetList")]
    public Task<IResult> AdminCronJobsPgNetList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cron-jobs/pg-net")] HttpRequest request, CancellationToken cancellationToken) =>
        pgNet.ListAsync(request, cancellationToken);

    [Function("AdminCronJobsPgNetConvert")]
    public Task<IResult> AdminCronJobsPgNetConvert([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/cron-jobs/pg-net/convert")] HttpRequest request, CancellationToken cancellationToken) =>
        pgNet.ConvertAsync(request, cancellationToken);
}
