using JobQueue.Cutover;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/cutover/parity?runs=1..100 (10)</c> (admin auth): for each pg_cron job the cut-over
/// converted, the old job's latest runs beside the new schedule's latest jobs and attempts
/// (<see cref="CutoverParityReport"/>), so that a team sees the new path does what the old one did
/// before it deletes anything. Reads only.
/// </summary>
public sealed class CutoverParityEndpoint(ApiAuthenticator auth, CutoverParityReport report)
{
    public const int MaxRuns = 100;

    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var runs = fields.QueryInt(request.Query, "runs", 1, MaxRuns) ?? 10;
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return await CronCalls.RunAsync(async () => ApiJson.Ok(await report.BuildAsync(runs, cancellationToken)));
    }
}
