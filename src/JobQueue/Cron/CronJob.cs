using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobQueue.Cron;

/// <summary>
/// One of the app's own pg_cron jobs (those <c>create_cron_job</c> made), as the wrappers return it:
/// what the app wrote (task type, payload, attempts, dedupe key), never the command's SQL text.
/// </summary>
public sealed record CronJob(
    long JobId,
    [property: JsonPropertyName("jobName")] string Name,
    string Schedule,
    bool Active,
    string TaskType,
    JsonElement Payload,
    int MaxAttempts,
    string? DedupeKey,
    string Database,
    int Priority = 0,
    CronJobLastRun? LastRun = null)
{
    /// <summary>The schedule in words ("Every 30 minutes", "Daily at 03:15 UTC").</summary>
    public string Description => CronScheduleDescriber.Describe(Schedule);

    /// <summary>The next time an active job fires (UTC); set by the list route.</summary>
    public DateTimeOffset? NextRun { get; init; }
}

/// <summary>The latest run of a job (pg_cron's <c>job_run_details</c>).</summary>
public sealed record CronJobLastRun(string? Status, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Message);

/// <summary>One row of pg_cron's run history.</summary>
public sealed record CronJobRun(
    long RunId,
    long? JobId,
    string? JobName,
    string? Status,
    string? Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Database);

/// <summary>Arguments of <c>create_cron_job</c>; validate with <see cref="CronJobRequestValidator"/> first.</summary>
public sealed record CronJobDefinition(
    string JobName,
    string Schedule,
    string TaskType,
    string PayloadJson = "{}",
    int MaxAttempts = 3,
    string? DedupeKey = null,
    int Priority = 0);

/// <summary>
/// A pg_cron job that calls pg_net, as the migration reads it. <see cref="Command"/> is for the
/// converter only and never serialized into a response.
/// </summary>
public sealed record PgNetCronJob(
    long JobId, string Name, string Schedule, bool Active, string? Database, string? Username,
    [property: JsonIgnore] string Command, [property: JsonIgnore] string CommandMd5);
