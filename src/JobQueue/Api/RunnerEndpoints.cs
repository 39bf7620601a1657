using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>POST jobs/run</c> <c>{limit, force, drain}</c>: one runner pass (runner auth), or with
/// <c>drain</c> passes back to back until no due job is left or the time budget is spent. The pass
/// runs on the host's lifetime: a caller that disconnects (a pg_net or curl timeout) cancels nothing.
/// Then the queue gauges, at most every 30 s, for deployments whose runner is called from outside
/// (pg_cron, a scheduler). <c>GET jobs/run</c>: the same default pass for Vercel Cron, which calls its
/// path with GET, no body and <c>Authorization: Bearer $CRON_SECRET</c> (= the runner secret).
/// </summary>
public sealed class RunnerEndpoints(JobRunner runner, QueueGaugeSampler gauges)
{
    public Task<IResult> RunAsync(ApiCall call, RunRequest run) =>
        RunPassAsync(new RunPassRequest(run.Limit, run.Force, run.Drain), call.Aborted);

    /// <summary>
    /// <c>GET jobs/run</c>: a default pass (no limit: <c>Runner:DefaultLimit</c>; not forced; not draining),
    /// answered as <see cref="RunAsync"/> answers. A body, if any, is not read: Vercel Cron sends none.
    /// </summary>
    public Task<IResult> RunDefaultAsync(ApiCall call) => RunPassAsync(new RunPassRequest(), call.Aborted);

    private async Task<IResult> RunPassAsync(RunPassRequest pass, CancellationToken cancellationToken)
    {
        var report = await runner.RunPassAsync(pass, cancellationToken);
        await gauges.SampleIfDueAsync(cancellationToken);
        return ApiJson.Ok(report);
    }
}

/// <summary>The body of <c>POST jobs/run</c>: at most <c>limit</c> jobs, <c>force</c> past a paused queue, or <c>drain</c> (without a limit).</summary>
public sealed record RunRequest(int? Limit, bool Force, bool Drain) : IApiRequest<RunRequest>
{
    public static RunRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var run = new RunRequest(fields.Number("limit", 1, ApiLimits.MaxRunLimit), fields.Flag("force") ?? false, fields.Flag("drain") ?? false);
        if (run.Drain && run.Limit is not null)
        {
            fields.Error("limit", "must not be given with drain: a draining pass runs until no due job is left or its time budget is spent");
        }

        return run;
    }
}
