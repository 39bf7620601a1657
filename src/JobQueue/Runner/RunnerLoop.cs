using JobQueue.Database;
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
/// simply polls. A pass that fails (the database is unavailable) is followed by a wait of 1 s doubling
/// up to 30 s (<see cref="OutageBackoff"/>), one log line per wait, until a pass works again.
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
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var pass = await PassAsync(stoppingToken);
                if (pass.Error is { } error)
                {
                    // the database is unavailable (or a pass broke): back off, one line per wait
                    failures++;
                    var wait = OutageBackoff.After(failures);
                    RunnerLog.LoopPassFailed(logger, failures, error, Math.Round(wait.TotalSeconds, 1));
                    await Task.Delay(wait, stoppingToken);
                    continue;
                }

                if (failures > 0)
                {
                    RunnerLog.LoopRecovered(logger, failures);
                    failures = 0;
                }

                var full = pass.Full;
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

    private async Task<(int Processed, bool Full, string? Error)> PassAsync(CancellationToken stoppingToken)
    {
        try
        {
            var report = await runner.RunPassAsync(new RunPassRequest(), stoppingToken);
            return (report.Processed, report.Processed >= Math.Min(options.Value.DefaultLimit, options.Value.MaxLimit), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            return (0, false, DatabaseFailure.Describe(e));
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
