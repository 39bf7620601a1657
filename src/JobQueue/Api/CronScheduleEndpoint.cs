using JobQueue.Cron;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/cron-jobs/describe?schedule=...</c>: checks a schedule exactly as create and reschedule do,
/// without storing anything; <c>{schedule, description, nextRuns}</c> (the next five times, UTC), or a
/// 400 whose reason names the wrong field of the expression (admin auth). The dashboard checks the
/// schedule as it is typed with it.
/// </summary>
public sealed class CronScheduleEndpoint(ApiAuthenticator auth, TimeProvider clock)
{
    public async Task<IResult> DescribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var text = fields.QueryString(request.Query, "schedule", CronScheduleValidator.MaxLength);
        if (text is null && !fields.HasErrors)
        {
            fields.Error("schedule", "is required: 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/30 * * * *\"");
        }

        var schedule = "";
        if (text is not null && CronJobRequestValidator.CheckSchedule(text, out schedule) is { } error)
        {
            fields.Error(error.Field, error.Reason);
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return ApiJson.Ok(new
        {
            schedule,
            description = CronScheduleDescriber.Describe(schedule),
            nextRuns = CronScheduleDescriber.NextRuns(schedule, clock.GetUtcNow(), 5),
        });
    }
}
