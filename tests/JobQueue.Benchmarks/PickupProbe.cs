using System.Collections.Concurrent;
using System.Diagnostics;
using JobQueue.Queue;

namespace JobQueue.Benchmarks;

/// <summary>
/// Pickup latency: enqueues one numbered no-op job every 20 ms and records enqueue call → handler
/// start (via <see cref="NoopHandler.OnStart"/>) until it has <c>samples</c> of them.
/// </summary>
public sealed class PickupProbe : IDisposable
{
    private readonly ConcurrentDictionary<int, long> _enqueuedAt = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _samples;

    public PickupProbe(int samples)
    {
        _samples = samples;
        NoopHandler.OnStart = OnStart;
    }

    public Samples Result { get; } = new();

    public async Task<Samples> ProduceAsync(JobQueueStore store)
    {
        for (var seq = 0; !_done.Task.IsCompleted; seq++)
        {
            _enqueuedAt[seq] = Stopwatch.GetTimestamp();
            await store.EnqueueManyAsync(NoopHandler.Name, [$$"""{"seq":{{seq}}}"""]);
            await Task.Delay(20);
        }

        return Result;
    }

    public void Dispose() => NoopHandler.OnStart = null;

    private void OnStart(int seq, long at)
    {
        if (_enqueuedAt.TryGetValue(seq, out var t0))
        {
            Result.AddMs(Stopwatch.GetElapsedTime(t0, at).TotalMilliseconds);
            if (Result.Count >= _samples)
            {
                _done.TrySetResult();
            }
        }
    }
}
