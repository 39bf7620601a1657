namespace JobQueue.Runner;

/// <summary>How a long-running executor waits for new jobs once the queue is drained (the server's LISTEN/NOTIFY).</summary>
internal interface IQueueIdleWaiter
{
    /// <summary>The queue came back short: asks to be woken for new jobs; true when it newly asked (look once more).</summary>
    Task<bool> DrainedAsync(CancellationToken cancellationToken);

    /// <summary>A claim came back full: no wake-ups needed.</summary>
    Task BusyAsync(CancellationToken cancellationToken);

    /// <summary>Completes on a wake-up or after the poll interval.</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}
