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
public sealed class RunnerEndpoints(ApiAuthenticator auth, JobRunner runner, QueueGaugeSampler gauges)
{
    public async Task<IResult> RunAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (_, fields, failure) = await AuthenticatedBody.ReadAsync(auth.RunnerAsync(request, cancellationToken), request, cancellationToken);
        if (fields is null)
        {
            return failure!;
        }

        var limit = fields.Number("limit", 1, ApiLimits.MaxRunLimit);
        var force = fields.Flag("force") ?? false;
        var drain = fields.Flag("drain") ?? false;
        if (drain && limit is not null)
        {
            fields.Error("limit", "must not be given with drain: a draining pass runs until no due job is left or its time budget is spent");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return await RunPassAsync(new RunPassRequest(limit, force, drain), cancellationToken);
    }

    /// <summary>
    /// <c>GET jobs/run</c>: a default pass (no limit: <c>Runner:DefaultLimit</c>; not forced; not draining),
    /// answered as <see cref="RunAsync"/> answers. A body, if any, is not read: Vercel Cron sends none.
    /// </summary>
    public async Task<IResult> RunDefaultAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.RunnerAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        return await RunPassAsync(new RunPassRequest(), cancellationToken);
    }

    private async Task<IResult> RunPassAsync(RunPassRequest pass, CancellationToken cancellationToken)
    {
        var report = await runner.RunPassAsync(pass, cancellationToken);
        await gauges.SampleIfDueAsync(cancellationToken);
        return ApiJson.Ok(report);
    }
}
