using JobQueue.Database;
using JobQueue.Runner;
using Microsoft.Extensions.Options;

namespace JobQueue.Server;

/// <summary>
/// Server only: the library's <see cref="RunnerLoop"/> (passes back to back while there is work;
/// when drained, woken by the queue's notification for new jobs, and a pass every
/// <c>Runner:PollIntervalSeconds</c> at the latest: default 1 s, 0 = off).
/// </summary>
public sealed class RunnerPollingService(RunnerLoop loop, DatabaseReadiness readiness, IOptions<ServerRunnerOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // not before the database start-up has succeeded (migrations applied)
        await readiness.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!stoppingToken.IsCancellationRequested)
        {
            await loop.RunAsync(interval, stoppingToken);
        }
    }
}
