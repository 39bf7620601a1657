namespace JobQueue.Runner;

/// <summary>
/// An auto-reset event for one waiter (a pass's loop): <see cref="Set"/> from anywhere (a handler that
/// finished, a timer, the host stopping); <see cref="WaitAsync"/> completes at once if it was set since
/// the last wait.
/// </summary>
internal sealed class WakeSignal
{
    private readonly object gate = new();
    private bool set;
    private TaskCompletionSource? waiter;

    public void Set()
    {
        if (Volatile.Read(ref set))
        {
            return; // set already: the waiter will see it (the common case while many handlers finish)
        }

        TaskCompletionSource? wake;
        lock (gate)
        {
            wake = waiter;
            waiter = null;
            set = wake is null;
        }

        wake?.TrySetResult();
    }

    public Task WaitAsync()
    {
        lock (gate)
        {
            if (set)
            {
                set = false;
                return Task.CompletedTask;
            }

            waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return waiter.Task;
        }
    }

    /// <summary>Sets the signal once <paramref name="wait"/> completes; a failed wait sets it all the same (the loop's own calls report errors).</summary>
    public async Task SetWhenCompletedAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (Exception)
        {
            // a failed wait wakes the loop all the same; the loop's own calls report errors
        }

        Set();
    }
}
