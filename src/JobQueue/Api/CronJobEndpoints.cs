using JobQueue.Cron;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobQueue.Api;

/// <summary>
/// The pg_cron routes (admin auth): list schedules with run history and a summary, create, enable /
/// disable, reschedule, delete, and install the standing jobs. Bad input is a 400 naming the field,
/// an unknown name 404, a taken name 409, pg_cron missing or not granted 503; a refusal changes nothing.
/// </summary>
public sealed partial class CronJobEndpoints(
    CronJobStore store, CronJobRequestValidator validator, StandingCronInstaller standing, CronVisibilityReader visibility, TimeProvider clock,
    ILogger<CronJobEndpoints> logger)
{
    /// <summary>
    /// <c>GET admin/cron-jobs?limit</c>: <c>{jobs, runs, summary: {total, active, inactive, recentFailures,
    /// unlistedJobs, unlistedRecentFailures, invisibleJobs, invisibleRecentFailures, countedBy, note}}</c>:
    /// the app's own jobs, then what it does not list (<see cref="CronVisibility"/>; "unknown", never 0, where it cannot count).
    /// </summary>
    public Task<IResult> ListAsync(ApiCall call, CronRunsRequest query) => CronCalls.RunAsync(async () =>
    {
        var cancellationToken = call.Aborted;
        var now = clock.GetUtcNow();
        var jobs = (await store.GetJobsAsync(cancellationToken))
            .Select(j => j.Active && CronScheduleDescriber.NextRuns(j.Schedule, now, 1) is [var next] ? j with { NextRun = next } : j)
            .ToList();
        var runs = await store.GetRunsAsync(query.Limit, cancellationToken);
        var active = jobs.Count(j => j.Active);
        var unseen = await visibility.ReadAsync(now, cancellationToken);
        var summary = new CronJobListSummary(
            jobs.Count,
            active,
            jobs.Count - active,
            runs.Count(r => r.Status == "failed"),
            CronJobListSummary.Count(unseen.UnlistedJobs),
            CronJobListSummary.Count(unseen.UnlistedRecentFailures),
            CronJobListSummary.Count(unseen.InvisibleJobs),
            CronJobListSummary.Count(unseen.InvisibleRecentFailures),
            unseen.CountedBy,
            unseen.Note);
        return ApiJson.Ok(new CronJobListResponse(jobs, runs, summary));
    });

    /// <summary><c>POST admin/cron-jobs/create</c> <c>{jobName, schedule, taskType, payload, maxAttempts}</c>: 201 with the job.</summary>
    public async Task<IResult> CreateAsync(ApiCall call, CronJobCreateRequest create)
    {
        var errors = validator.ValidateCreate(create.ToCreate(), out var definition);
        if (errors.Count > 0 || definition is null)
        {
            return ApiProblems.Validation(errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new[] { g.First().Reason }));
        }

        return await CronCalls.RunAsync(async () =>
        {
            var job = await store.CreateAsync(definition, call.Aborted);
            LogChanged(logger, "created", job.Name, job.Schedule, call.Actor);
            call.AuditDetail = $"{definition.Schedule} -> {definition.TaskType} {definition.PayloadJson}";
            return ApiJson.Ok(job with { TaskType = definition.TaskType }, StatusCodes.Status201Created);
        });
    }

    /// <summary><c>POST admin/cron-jobs/toggle</c> <c>{jobName, active}</c>: the job.</summary>
    public Task<IResult> ToggleAsync(ApiCall call, CronJobToggleRequest toggle) => CronCalls.RunAsync(async () =>
    {
        var job = await store.ToggleAsync(toggle.JobName, toggle.Active, call.Aborted);
        LogChanged(logger, job.Active ? "enabled" : "disabled", job.Name, job.Schedule, call.Actor);
        call.AuditDetail = job.Active ? "enabled" : "disabled";
        return ApiJson.Ok(job);
    });

    /// <summary><c>POST admin/cron-jobs/schedule</c> <c>{jobName, schedule}</c>: the job with its new schedule.</summary>
    public Task<IResult> RescheduleAsync(ApiCall call, CronJobRescheduleRequest reschedule) => CronCalls.RunAsync(async () =>
    {
        var job = await store.RescheduleAsync(reschedule.JobName, reschedule.Schedule, call.Aborted);
        LogChanged(logger, "rescheduled", job.Name, job.Schedule, call.Actor);
        call.AuditDetail = "schedule " + job.Schedule;
        return ApiJson.Ok(job);
    });

    /// <summary><c>POST admin/cron-jobs/delete</c> <c>{jobName}</c>: <c>{deleted, jobName}</c>.</summary>
    public Task<IResult> DeleteAsync(ApiCall call, CronJobNameRequest delete) => CronCalls.RunAsync(async () =>
    {
        await store.DeleteAsync(delete.JobName, call.Aborted);
        LogChanged(logger, "deleted", delete.JobName, "", call.Actor);
        return ApiJson.Ok(new CronJobDeletedResponse(true, delete.JobName));
    });

    /// <summary>
    /// <c>POST admin/cron-jobs/install-standing</c>: installs the standing jobs (idempotent);
    /// <c>{results: [{jobName, outcome, job}]}</c>, outcome created / rescheduled / replaced / unchanged.
    /// </summary>
    public Task<IResult> InstallStandingAsync(ApiCall call) => CronCalls.RunAsync(async () =>
    {
        var results = await standing.InstallAsync(call.Aborted);
        call.AuditDetail = string.Join(", ", results.Select(r => $"{r.JobName}: {r.Outcome}"));
        foreach (var r in results.Where(r => r.Outcome != StandingCronInstaller.Unchanged))
        {
            LogChanged(logger, r.Outcome, r.JobName, r.Job.Schedule, call.Actor);
        }

        return ApiJson.Ok(new StandingInstallResponse(results));
    });

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "cron job {JobName} {Change} by {Actor} (schedule {Schedule})")]
    private static partial void LogChanged(ILogger logger, string change, string jobName, string schedule, string actor);
}

/// <summary>The pg_cron job was deleted.</summary>
public sealed record CronJobDeletedResponse(bool Deleted, string JobName);
