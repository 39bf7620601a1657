using System.Diagnostics;
using JobQueue.Runner;

namespace JobQueue.Benchmarks;

/// <summary>Payload of the no-op job: empty, or the pickup figure's sequence number.</summary>
public sealed class NoopPayload
{
    public int Seq { get; set; } = -1;
}

/// <summary>The no-op job every figure runs: a typed handler like a real one, doing nothing.</summary>
public sealed class NoopHandler : JobHandler<NoopPayload>
{
    public const string Name = "bench_noop";

    /// <summary>Set by the pickup figure: called with the sequence number when a job starts.</summary>
    public static Action<int, long>? OnStart { get; set; }

    public override string TaskType => Name;

    protected override Task<object?> HandleAsync(NoopPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        if (payload.Seq >= 0)
        {
            OnStart?.Invoke(payload.Seq, Stopwatch.GetTimestamp());
        }

        return Task.FromResult<object?>(null);
    }
}

/// <summary>Hangfire's no-op job.</summary>
public static class HangfireNoop
{
    public static void Run()
    {
    }
}
