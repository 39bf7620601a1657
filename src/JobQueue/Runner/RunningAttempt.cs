using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>
/// One handler running in a session (<see cref="JobProducer"/>) (kept by <see cref="RunningAttempts"/>). Its
/// state moves once, from running to finished (its result is recorded), abandoned (it ignored its
/// cancellation: its result is discarded and its slot returned when it ends) or given back (the host
/// stops: its job is snoozed without waiting for it).
/// </summary>
internal sealed class RunningAttempt(Job job, AttemptCancellation cancellation, long startedAt)
{
    private const int Running = 0, Finished = 1, Abandoned = 2, GivenBack = 3;
    private int state;

    public Job Job { get; } = job;

    public AttemptCancellation Cancellation { get; } = cancellation;

    /// <summary>When the handler started (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>What the pass records for it (set when it finished, or when it was given back).</summary>
    public AttemptResult? Result { get; set; }

    public bool IsFinished => Volatile.Read(ref state) == Finished;

    public bool WasAbandoned => Volatile.Read(ref state) == Abandoned;

    public bool TryFinish() => Interlocked.CompareExchange(ref state, Finished, Running) == Running;

    public bool TryAbandon() => Interlocked.CompareExchange(ref state, Abandoned, Running) == Running;

    public bool TryGiveBack() => Interlocked.CompareExchange(ref state, GivenBack, Running) == Running;
}
