using JobQueue.Database;
using JobQueue.Queue;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobQueue.Runner;

/// <summary>
/// A long-running runner (the self-hosted server's): one executor (<see cref="JobRunner.RunLoopAsync"/>)
/// that claims whenever this instance has free slots and jobs are due, without a pass budget (its jobs
/// run until their task timeout, their leases extended by heartbeats). When a claim comes back short
/// the queue is drained, so it asks the queue to be woken for new due jobs
/// (<see cref="JobQueueStore.SetRunnerIdleAsync"/>, LISTEN via <see cref="JobWakeListener"/>) and waits
/// for a notification or the poll interval, whichever comes first, while its running jobs go on. Jobs
/// that become due later (a future run_at, a backoff) are found by the poll. Without the listening
/// connection it simply polls. Database errors inside the executor pause its claims (1 s doubling up to
/// 30 s) without stopping its running jobs; an executor that fails as a whole is restarted the same way
/// (<see cref="OutageBackoff"/>, one log line per wait).
/// </summary>
public sealed class RunnerLoop(JobRunner runner, JobQueueStore store, NpgsqlDataSource dataSource, ILogger<RunnerLoop> logger)
{
    public async Task RunAsync(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        await using var waiter = new NotifyIdleWaiter(store, new JobWakeListener(dataSource), pollInterval);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.RunLoopAsync(waiter, stoppingToken);
                return; // the host is stopping
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // the database is unavailable (or the executor broke): back off, one line per wait
                failures++;
                var wait = OutageBackoff.After(failures);
                RunnerLog.LoopPassFailed(logger, failures, DatabaseFailure.Describe(e), Math.Round(wait.TotalSeconds, 1));
                try
                {
                    await Task.Delay(wait, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>LISTEN/NOTIFY wake-ups for the drained loop: the idle request (refreshed on every drained look) and the wait.</summary>
    private sealed class NotifyIdleWaiter(JobQueueStore store, JobWakeListener listener, TimeSpan pollInterval) : IQueueIdleWaiter, IAsyncDisposable
    {
        // the wake-up request outlives a missed refresh, and lapses soon after this runner stops refreshing it
        private readonly TimeSpan idleFor = pollInterval * 2 + TimeSpan.FromSeconds(5);
        private bool armed;
        private Task? waiting;

        public async Task<bool> DrainedAsync(CancellationToken cancellationToken)
        {
            // a pending wait owns the listening connection (which listens, or the wait would have ended)
            var listening = waiting is { IsCompleted: false } || await listener.EnsureListeningAsync(cancellationToken);
            if (!listening || !await TrySetIdleAsync(idleFor, cancellationToken))
            {
                return false;
            }

            var newly = !armed;
            armed = true;
            return newly;
        }

        public async Task BusyAsync(CancellationToken cancellationToken)
        {
            if (armed && await TrySetIdleAsync(null, cancellationToken))
            {
                armed = false;
            }
        }

        public Task WaitAsync(CancellationToken cancellationToken) => waiting = listener.WaitAsync(pollInterval, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (armed)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await TrySetIdleAsync(null, timeout.Token);
            }

            if (waiting is not null)
            {
                await waiting.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            await listener.DisposeAsync();
        }

        private async Task<bool> TrySetIdleAsync(TimeSpan? idle, CancellationToken cancellationToken)
        {
            try
            {
                await store.SetRunnerIdleAsync(idle, cancellationToken);
                return true;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return false;
            }
        }
    }
}
