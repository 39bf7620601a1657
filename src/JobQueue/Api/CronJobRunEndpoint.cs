using JobQueue.Cron;
using JobQueue.Queue;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobQueue.Api;

/// <summary>
/// <c>POST admin/cron-jobs/{name}/run</c> (admin auth, audited as <c>cron.run</c>): enqueues the job one
/// of the app's pg_cron schedules enqueues (its task type, payload, max attempts, dedupe key and
/// priority, read through <see cref="CronJobStore"/>) once, now, into this app's database, with
/// <c>triggered_by = 'admin-run:cron:&lt;name&gt;:&lt;actor&gt;'</c>; the schedule itself is not changed.
/// <c>{success, jobId, jobName, message}</c>; 404 no such schedule of the app, 409 a schedule whose
/// commands run in another database. With a dedupe key and a live job of it, that job's id comes back.
/// </summary>
public sealed partial class CronJobRunEndpoint(
    CronJobStore cronStore, CronDatabase cron, JobQueueStore store, ILogger<CronJobRunEndpoint> logger)
{
    /// <summary>The <c>triggered_by</c> prefix of these runs.</summary>
    public const string TriggerPrefix = "admin-run:cron:";

    public async Task<IResult> RunAsync(ApiCall call)
    {
        var name = call.RouteValue;
        var cancellationToken = call.Aborted;
        if (name.Length is 0 or > CronJobRequestValidator.MaxNameLength)
        {
            return ApiProblems.Validation("name", $"must be a cron job's name (1..{CronJobRequestValidator.MaxNameLength} characters)");
        }

        return await CronCalls.RunAsync(async () =>
        {
            // a name with characters no job can have is simply not found
            var job = (await cronStore.GetJobsAsync(cancellationToken)).FirstOrDefault(j => j.Name == name);
            if (job is null)
            {
                return ApiProblems.NotFound($"no cron job named {name}");
            }

            var target = await cron.GetTargetDatabaseAsync(cancellationToken);
            if (target is not null && job.Database != target)
            {
                return ApiProblems.Conflict($"cron job {name} enqueues into database {job.Database}, not this app's");
            }

            var id = await store.EnqueueAsync(
                new EnqueueRequest(job.TaskType, job.Payload, null, job.MaxAttempts, job.DedupeKey, $"{TriggerPrefix}{name}:{call.Actor}",
                    call.RequestId, job.Priority),
                cancellationToken);
            LogRun(logger, name, id, call.Actor);
            call.AuditDetail = $"{job.TaskType} job {id}";
            return ApiJson.Ok(new CronJobRunResponse(true, id, name, $"{name}: {job.TaskType} job enqueued"));
        });
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "cron job {JobName} run now by {Actor}: job {JobId}")]
    private static partial void LogRun(ILogger logger, string jobName, Guid jobId, string actor);
}
