using JobQueue.Cron;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/cron-jobs/describe?schedule=...</c>: checks a schedule exactly as create and reschedule do,
/// without storing anything; <c>{schedule, description, nextRuns}</c> (the next five times, UTC), or a
/// 400 whose reason names the wrong field of the expression (admin auth). The dashboard checks the
/// schedule as it is typed with it.
/// </summary>
public sealed class CronScheduleEndpoint(TimeProvider clock)
{
    public IResult Describe(CronDescribeRequest query) => ApiJson.Ok(new CronScheduleDescription(
        query.Schedule, CronScheduleDescriber.Describe(query.Schedule), CronScheduleDescriber.NextRuns(query.Schedule, clock.GetUtcNow(), 5)));
}

/// <summary>The query of <c>GET admin/cron-jobs/describe</c>: a 5-field cron <c>schedule</c>, normalised when valid.</summary>
public sealed record CronDescribeRequest(string Schedule) : IApiRequest<CronDescribeRequest>
{
    public static CronDescribeRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var text = fields.QueryString(query, "schedule", CronScheduleValidator.MaxLength);
        if (text is null && !fields.HasErrors)
        {
            fields.Error("schedule", "is required: 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/30 * * * *\"");
        }

        var schedule = "";
        if (text is not null && CronJobRequestValidator.CheckSchedule(text, out schedule) is { } error)
        {
            fields.Error(error.Field, error.Reason);
        }

        return new(schedule);
    }
}

/// <summary>A valid schedule, normalised, in words, and its next five runs (UTC).</summary>
public sealed record CronScheduleDescription(string Schedule, string Description, IReadOnlyList<DateTimeOffset> NextRuns);
