using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>POST jobs/run</c> <c>{limit, force}</c>: one runner pass (runner auth); then the queue gauges,
/// at most every 30 s, for deployments whose runner is called from outside (pg_cron, a scheduler).
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
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var report = await runner.RunPassAsync(new RunPassRequest(limit, force), cancellationToken);
        await gauges.SampleIfDueAsync(cancellationToken);
        return ApiJson.Ok(report);
    }
}
