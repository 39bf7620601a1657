using Microsoft.Extensions.Hosting;

namespace JobQueue.Runner;

/// <summary>
/// What runner passes run on instead of their caller's token: the host's lifetime. A pass started by
/// an HTTP caller or a trigger goes on when the caller goes away; when the host stops
/// (<see cref="IHostApplicationLifetime.ApplicationStopping"/>: Ctrl-C, a deployment, the Functions
/// host's WorkerTerminate, a scale-in) every running handler is cancelled and its job given back
/// (snoozed, "host shutdown"), and <see cref="StopAsync"/> holds the host's shutdown until the passes
/// have recorded that. Without a host (a bare service provider) <see cref="StopAsync"/> alone stops them.
/// </summary>
public sealed class RunnerLifetime : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenRegistration hostStopping;
    private readonly object gate = new();
    private readonly HashSet<Task> running = [];

    public RunnerLifetime(IHostApplicationLifetime? host = null)
    {
        if (host is not null)
        {
            hostStopping = host.ApplicationStopping.UnsafeRegister(static s => ((RunnerLifetime)s!).Stop(), this);
        }
    }

    /// <summary>Fires when the host starts stopping.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <summary>Keeps <paramref name="pass"/> in the set that a stopping host waits for.</summary>
    internal async Task<T> TrackAsync<T>(Task<T> pass)
    {
        lock (gate)
        {
            running.Add(pass);
        }

        try
        {
            return await pass;
        }
        finally
        {
            lock (gate)
            {
                running.Remove(pass);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops the passes (their jobs are given back) and waits until they have recorded it, or the host's shutdown timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        Task[] passes;
        lock (gate)
        {
            passes = [.. running];
        }

        try
        {
            await Task.WhenAll(passes).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the host's shutdown timeout: what is not recorded by now is rescued after its lease
        }
        catch (Exception)
        {
            // a pass that failed has reported it to its own caller
        }
    }

    public void Dispose()
    {
        hostStopping.Dispose();
        stopping.Dispose();
    }

    private void Stop()
    {
        try
        {
            stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
