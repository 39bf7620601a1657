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
    ApiAuthenticator auth, CronJobStore store, CronJobRequestValidator validator, StandingCronInstaller standing,
    CronVisibilityReader visibility, AdminAudit audit, TimeProvider clock, ILogger<CronJobEndpoints> logger)
{
    /// <summary>
    /// <c>GET admin/cron-jobs?limit</c>: <c>{jobs, runs, summary: {total, active, inactive, recentFailures,
    /// unlistedJobs, unlistedRecentFailures, invisibleJobs, invisibleRecentFailures, countedBy, note}}</c>:
    /// the app's own jobs, then what it does not list (<see cref="CronVisibility"/>; "unknown", never 0, where it cannot count).
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var limit = fields.QueryInt(request.Query, "limit", 1, ApiLimits.MaxRunLimit) ?? 50;
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return await CronCalls.RunAsync(async () =>
        {
            var now = clock.GetUtcNow();
            var jobs = (await store.GetJobsAsync(cancellationToken))
                .Select(j => j.Active && CronScheduleDescriber.NextRuns(j.Schedule, now, 1) is [var next] ? j with { NextRun = next } : j)
                .ToList();
            var runs = await store.GetRunsAsync(limit, cancellationToken);
            var active = jobs.Count(j => j.Active);
            var unseen = await visibility.ReadAsync(now, cancellationToken);
            var summary = new
            {
                total = jobs.Count,
                active,
                inactive = jobs.Count - active,
                recentFailures = runs.Count(r => r.Status == "failed"),
                unlistedJobs = (object?)unseen.UnlistedJobs ?? "unknown",
                unlistedRecentFailures = (object?)unseen.UnlistedRecentFailures ?? "unknown",
                invisibleJobs = (object?)unseen.InvisibleJobs ?? "unknown",
                invisibleRecentFailures = (object?)unseen.InvisibleRecentFailures ?? "unknown",
                unseen.CountedBy,
                unseen.Note,
            };
            return ApiJson.Ok(new { jobs, runs, summary });
        });
    }

    /// <summary><c>POST admin/cron-jobs/create</c> <c>{jobName, schedule, taskType, payload, maxAttempts}</c>: 201 with the job.</summary>
    public Task<IResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "cron.create", null, () => CreateCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> CreateCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        AdminAudit.Target(request, fields.Text("jobName", CronJobRequestValidator.MaxNameLength));
        var create = new CreateCronJobRequest(
            fields.Text("jobName", CronJobRequestValidator.MaxNameLength, required: true),
            fields.Text("schedule", CronScheduleValidator.MaxLength, required: true),
            fields.Text("taskType", ApiLimits.MaxTaskTypeLength, required: true),
            fields.ObjectValue("payload", CronJobRequestValidator.MaxPayloadBytes),
            fields.Number("maxAttempts", 1, CronJobRequestValidator.MaxAttemptsLimit),
            fields.Number("priority", ApiLimits.MinPriority, ApiLimits.MaxPriority));
        var errors = validator.ValidateCreate(create, out var definition);
        foreach (var error in errors)
        {
            fields.Error(error.Field, error.Reason);
        }

        if (fields.HasErrors || definition is null)
        {
            return fields.Problem();
        }

        return await CronCalls.RunAsync(async () =>
        {
            var job = await store.CreateAsync(definition, cancellationToken);
            LogChanged(logger, "created", job.Name, job.Schedule, actor);
            AdminAudit.Detail(request, $"{definition.Schedule} -> {definition.TaskType} {definition.PayloadJson}");
            return ApiJson.Ok(job with { TaskType = definition.TaskType }, StatusCodes.Status201Created);
        });
    }

    /// <summary><c>POST admin/cron-jobs/toggle</c> <c>{jobName, active}</c>: the job.</summary>
    public Task<IResult> ToggleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "cron.toggle", null, () => ToggleCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> ToggleCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var jobName = JobName(request, fields);
        var active = fields.Flag("active");
        if (active is null)
        {
            fields.Error("active", "is required (true to enable, false to disable)");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return await CronCalls.RunAsync(async () =>
        {
            var job = await store.ToggleAsync(jobName!, active!.Value, cancellationToken);
            LogChanged(logger, job.Active ? "enabled" : "disabled", job.Name, job.Schedule, actor);
            AdminAudit.Detail(request, job.Active ? "enabled" : "disabled");
            return ApiJson.Ok(job);
        });
    }

    /// <summary><c>POST admin/cron-jobs/schedule</c> <c>{jobName, schedule}</c>: the job with its new schedule.</summary>
    public Task<IResult> RescheduleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "cron.reschedule", null, () => RescheduleCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> RescheduleCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var jobName = JobName(request, fields);
        var schedule = "";
        if (fields.Text("schedule", CronScheduleValidator.MaxLength, required: true) is { } text
            && CronJobRequestValidator.CheckSchedule(text, out schedule) is { } error)
        {
            fields.Error(error.Field, error.Reason);
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return await CronCalls.RunAsync(async () =>
        {
            var job = await store.RescheduleAsync(jobName!, schedule, cancellationToken);
            LogChanged(logger, "rescheduled", job.Name, job.Schedule, actor);
            AdminAudit.Detail(request, "schedule " + job.Schedule);
            return ApiJson.Ok(job);
        });
    }

    /// <summary><c>POST admin/cron-jobs/delete</c> <c>{jobName}</c>: <c>{deleted, jobName}</c>.</summary>
    public Task<IResult> DeleteAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "cron.delete", null, () => DeleteCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> DeleteCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var jobName = JobName(request, fields);
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return await CronCalls.RunAsync(async () =>
        {
            await store.DeleteAsync(jobName!, cancellationToken);
            LogChanged(logger, "deleted", jobName!, "", actor);
            return ApiJson.Ok(new { deleted = true, jobName });
        });
    }

    /// <summary>
    /// <c>POST admin/cron-jobs/install-standing</c>: installs the standing jobs (idempotent);
    /// <c>{results: [{jobName, outcome, job}]}</c>, outcome created / rescheduled / replaced / unchanged.
    /// </summary>
    public Task<IResult> InstallStandingAsync(HttpRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, "cron.install-standing", null, () => InstallStandingCoreAsync(request, cancellationToken), cancellationToken);

    private async Task<IResult> InstallStandingCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        return await CronCalls.RunAsync(async () =>
        {
            var results = await standing.InstallAsync(cancellationToken);
            AdminAudit.Detail(request, string.Join(", ", results.Select(r => $"{r.JobName}: {r.Outcome}")));
            foreach (var r in results.Where(r => r.Outcome != StandingCronInstaller.Unchanged))
            {
                LogChanged(logger, r.Outcome, r.JobName, r.Job.Schedule, actor);
            }

            return ApiJson.Ok(new { results });
        });
    }

    private static string? JobName(HttpRequest request, RequestFields fields)
    {
        var name = fields.Text("jobName", CronJobRequestValidator.MaxNameLength, required: true);
        AdminAudit.Target(request, name);
        if (name is not null && CronJobRequestValidator.CheckName(name) is { } error)
        {
            fields.Error(error.Field, error.Reason);
            return null;
        }

        return name;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "cron job {JobName} {Change} by {Actor} (schedule {Schedule})")]
    private static partial void LogChanged(ILogger logger, string change, string jobName, string schedule, string actor);
}
