using JobQueue.Cron;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>Runs a pg_cron wrapper call for an endpoint; its refusal becomes the matching problem response.</summary>
public static class CronCalls
{
    public static async Task<IResult> RunAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (CronJobException e)
        {
            return e.Kind switch
            {
                CronErrorKind.NotFound => ApiProblems.NotFound(e.Message),
                CronErrorKind.Conflict => ApiProblems.Conflict(e.Message),
                CronErrorKind.Invalid => ApiProblems.Validation(e.Field, e.Message),
                _ => ApiProblems.Unavailable(e.Message),
            };
        }
    }
}
