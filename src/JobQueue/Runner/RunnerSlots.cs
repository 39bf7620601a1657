using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>
/// The jobs this instance may run at once (<see cref="RunnerOptions.Concurrency"/>), shared by all its
/// passes: the timer's, the wake-up queue's, HTTP callers', the server's loop. A pass takes slots before
/// it claims (never more than are free: it claims fewer jobs instead) and returns each once its
/// attempt is recorded, so that the attempt records never show more jobs running than there are slots.
/// </summary>
public sealed class RunnerSlots(IOptions<RunnerOptions> options)
{
    private readonly object gate = new();
    private int inUse;
    private TaskCompletionSource? released;

    public int Capacity => Math.Max(1, options.Value.Concurrency);

    public int InUse => Volatile.Read(ref inUse);

    /// <summary>Takes up to <paramref name="wanted"/> free slots; returns how many it took (0 when none is free).</summary>
    public int TryTake(int wanted)
    {
        lock (gate)
        {
            var taken = Math.Clamp(Capacity - inUse, 0, Math.Max(0, wanted));
            inUse += taken;
            return taken;
        }
    }

    public void Return(int count)
    {
        if (count <= 0)
        {
            return;
        }

        TaskCompletionSource? wake;
        lock (gate)
        {
            inUse = Math.Max(0, inUse - count);
            wake = released;
            released = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>Completes when some pass returns a slot (or at once when one is free).</summary>
    public Task ReleasedAsync()
    {
        lock (gate)
        {
            if (inUse < Capacity)
            {
                return Task.CompletedTask;
            }

            released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return released.Task;
        }
    }
}
