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
    ILogger<CronJobEndpoints> logger)
{
    /// <summary><c>GET admin/cron-jobs?limit</c>: <c>{jobs, runs, summary: {total, active, inactive, recentFailures}}</c>.</summary>
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
            var jobs = await store.GetJobsAsync(cancellationToken);
            var runs = await store.GetRunsAsync(limit, cancellationToken);
            var active = jobs.Count(j => j.Active);
            var summary = new
            {
                total = jobs.Count,
                active,
                inactive = jobs.Count - active,
                recentFailures = runs.Count(r => r.Status == "failed"),
            };
            return ApiJson.Ok(new { jobs, runs, summary });
        });
    }

    /// <summary><c>POST admin/cron-jobs/create</c> <c>{jobName, schedule, taskType, payload, maxAttempts}</c>: 201 with the job.</summary>
    public async Task<IResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

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
            return ApiJson.Ok(job with { TaskType = definition.TaskType }, StatusCodes.Status201Created);
        });
    }

    /// <summary><c>POST admin/cron-jobs/toggle</c> <c>{jobName, active}</c>: the job.</summary>
    public async Task<IResult> ToggleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var jobName = JobName(fields);
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
            return ApiJson.Ok(job);
        });
    }

    /// <summary><c>POST admin/cron-jobs/schedule</c> <c>{jobName, schedule}</c>: the job with its new schedule.</summary>
    public async Task<IResult> RescheduleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var jobName = JobName(fields);
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
            return ApiJson.Ok(job);
        });
    }

    /// <summary><c>POST admin/cron-jobs/delete</c> <c>{jobName}</c>: <c>{deleted, jobName}</c>.</summary>
    public async Task<IResult> DeleteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var jobName = JobName(fields);
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
    public async Task<IResult> InstallStandingAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (actor, fields, failure) = await AuthenticatedBody.ReadAsync(auth.AdminAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        return await CronCalls.RunAsync(async () =>
        {
            var results = await standing.InstallAsync(cancellationToken);
            foreach (var r in results.Where(r => r.Outcome != StandingCronInstaller.Unchanged))
            {
                LogChanged(logger, r.Outcome, r.JobName, r.Job.Schedule, actor);
            }

            return ApiJson.Ok(new { results });
        });
    }

    private static string? JobName(RequestFields fields)
    {
        var name = fields.Text("jobName", CronJobRequestValidator.MaxNameLength, required: true);
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
