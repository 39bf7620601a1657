using JobQueue.Cron;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>The query of <c>GET admin/cron-jobs</c>: how many of the latest runs to list.</summary>
public sealed record CronRunsRequest(int Limit) : IApiRequest<CronRunsRequest>
{
    public static CronRunsRequest Bind(RequestFields fields, IQueryCollection query) =>
        new(fields.QueryInt(query, "limit", 1, ApiLimits.MaxRunLimit) ?? 50);
}

/// <summary>
/// The body of <c>POST admin/cron-jobs/create</c>: name, 5-field schedule, the task type it enqueues with
/// its payload, max attempts and priority. Types and lengths are checked here; the rest by
/// <see cref="CronJobRequestValidator"/> (registered task type, payload, schedule).
/// </summary>
public sealed record CronJobCreateRequest(
    string? JobName, string? Schedule, string? TaskType, System.Text.Json.JsonElement? Payload, int? MaxAttempts, int? Priority)
    : IApiRequest<CronJobCreateRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => JobName is { Length: > 0 } name ? name : null;

    public CreateCronJobRequest ToCreate() => new(JobName, Schedule, TaskType, Payload, MaxAttempts, Priority);

    public static CronJobCreateRequest Bind(RequestFields fields, IQueryCollection query) => new(
        fields.Text("jobName", CronJobRequestValidator.MaxNameLength, required: true),
        fields.Text("schedule", CronScheduleValidator.MaxLength, required: true),
        fields.Text("taskType", ApiLimits.MaxTaskTypeLength, required: true),
        fields.ObjectValue("payload", CronJobRequestValidator.MaxPayloadBytes),
        fields.Number("maxAttempts", 1, CronJobRequestValidator.MaxAttemptsLimit),
        fields.Number("priority", ApiLimits.MinPriority, ApiLimits.MaxPriority));
}

/// <summary>The body of <c>POST admin/cron-jobs/toggle</c>: the job and whether it is active.</summary>
public sealed record CronJobToggleRequest(string JobName, bool Active) : IApiRequest<CronJobToggleRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => JobName is { Length: > 0 } name ? name : null;

    public static CronJobToggleRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var jobName = CronJobNameRequest.CheckedJobName(fields);
        var active = fields.Flag("active");
        if (active is null)
        {
            fields.Error("active", "is required (true to enable, false to disable)");
        }

        return new(jobName, active ?? false);
    }
}

/// <summary>The body of <c>POST admin/cron-jobs/schedule</c>: the job and its new 5-field schedule.</summary>
public sealed record CronJobRescheduleRequest(string JobName, string Schedule) : IApiRequest<CronJobRescheduleRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => JobName is { Length: > 0 } name ? name : null;

    public static CronJobRescheduleRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var jobName = CronJobNameRequest.CheckedJobName(fields);
        var schedule = "";
        if (fields.Text("schedule", CronScheduleValidator.MaxLength, required: true) is { } text
            && CronJobRequestValidator.CheckSchedule(text, out schedule) is { } error)
        {
            fields.Error(error.Field, error.Reason);
        }

        return new(jobName, schedule);
    }
}

/// <summary>The body of <c>POST admin/cron-jobs/delete</c>: the job's name.</summary>
public sealed record CronJobNameRequest(string JobName) : IApiRequest<CronJobNameRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => JobName.Length > 0 ? JobName : null;

    public static CronJobNameRequest Bind(RequestFields fields, IQueryCollection query) => new(CheckedJobName(fields));

    /// <summary>The required <c>jobName</c>, checked as pg_cron job names are.</summary>
    internal static string CheckedJobName(RequestFields fields)
    {
        var name = fields.Text("jobName", CronJobRequestValidator.MaxNameLength, required: true);
        if (name is not null && CronJobRequestValidator.CheckName(name) is { } error)
        {
            fields.Error(error.Field, error.Reason);
        }

        return name ?? "";
    }
}
