using JobQueue.Cutover;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/cutover/parity?runs=1..100 (10)</c> (admin auth): for each pg_cron job the cut-over
/// converted, the old job's latest runs beside the new schedule's latest jobs and attempts
/// (<see cref="CutoverParityReport"/>), so that a team sees the new path does what the old one did
/// before it deletes anything. Reads only.
/// </summary>
public sealed class CutoverParityEndpoint(CutoverParityReport report)
{
    public const int MaxRuns = 100;

    public Task<IResult> GetAsync(ApiCall call, CutoverParityRequest query) =>
        CronCalls.RunAsync(async () => ApiJson.Ok(await report.BuildAsync(query.Runs, call.Aborted)));
}

/// <summary>The query of <c>GET admin/cutover/parity</c>: how many of the latest <c>runs</c> to show per job (1..100, 10).</summary>
public sealed record CutoverParityRequest(int Runs) : IApiRequest<CutoverParityRequest>
{
    public static CutoverParityRequest Bind(RequestFields fields, IQueryCollection query) =>
        new(fields.QueryInt(query, "runs", 1, CutoverParityEndpoint.MaxRuns) ?? 10);
}
