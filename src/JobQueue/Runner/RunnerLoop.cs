using JobQueue.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Runner;

/// <summary>
/// A long-running runner (the self-hosted server's): passes back to back while they come back full;
/// when one comes back short the queue is drained, so it asks the queue to be woken for new due
/// jobs (<see cref="JobQueueStore.SetRunnerIdleAsync"/>, LISTEN via <see cref="JobWakeListener"/>)
/// and waits for a notification or the poll interval, whichever comes first. Jobs that become due
/// later (a future run_at, a backoff) are found by the poll. Without the listening connection it
/// simply polls.
/// </summary>
public sealed class RunnerLoop(
    JobRunner runner, JobQueueStore store, NpgsqlDataSource dataSource, IOptions<RunnerOptions> options, ILogger<RunnerLoop> logger)
{
    public async Task RunAsync(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        await using var listener = new JobWakeListener(dataSource);
        // the wake-up request outlives a missed refresh, and lapses soon after this runner stops refreshing it
        var idleFor = pollInterval * 2 + TimeSpan.FromSeconds(5);
        var armed = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var full = (await PassAsync(stoppingToken)).Full;
                if (full)
                {
                    if (armed && await TrySetIdleAsync(null, stoppingToken))
                    {
                        armed = false;
                    }

                    continue;
                }

                // drained: ask for wake-ups (refreshed on every idle round)
                if (await listener.EnsureListeningAsync(stoppingToken) && await TrySetIdleAsync(idleFor, stoppingToken) && !armed)
                {
                    armed = true;
                    // a job enqueued while the request was not yet visible sent no notification: look once more
                    if ((await PassAsync(stoppingToken)).Processed > 0)
                    {
                        continue;
                    }
                }

                await listener.WaitAsync(pollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (armed)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await TrySetIdleAsync(null, timeout.Token);
            }
        }
    }

    private async Task<(int Processed, bool Full)> PassAsync(CancellationToken stoppingToken)
    {
        try
        {
            var report = await runner.RunPassAsync(new RunPassRequest(), stoppingToken);
            return (report.Processed, report.Processed >= Math.Min(options.Value.DefaultLimit, options.Value.MaxLimit));
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            RunnerLog.LoopPassFailed(logger, e.GetType().Name, e.Message);
            return (0, false);
        }
    }

    private async Task<bool> TrySetIdleAsync(TimeSpan? idleFor, CancellationToken cancellationToken)
    {
        try
        {
            await store.SetRunnerIdleAsync(idleFor, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }
}
