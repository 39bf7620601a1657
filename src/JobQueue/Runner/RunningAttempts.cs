using System.Collections.Concurrent;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The attempts one <see cref="RunnerSession"/> holds: handlers running, and attempts finished (or
/// given back) but not yet recorded. It starts handlers and collects them as they return (waking the
/// session's loop), extends the leases of the jobs it holds (heartbeat) and cancels a handler whose
/// lease was taken over, abandons a handler that ignores its cancellation (its lease then runs out),
/// and, when the host stops, gives back the jobs of handlers that did not return in time. The session
/// decides when to record; the attempts it records are handed over by <see cref="UnrecordedResults"/>
/// and released by <see cref="Recorded"/>. Used by the session's loop alone (handlers only enqueue
/// themselves as finished).
/// </summary>
internal sealed class RunningAttempts(
    JobRunner runner,
    JobQueueStore store,
    RunnerSlots slots,
    RunnerOptions options,
    TimeProvider time,
    ILogger logger,
    string runnerId,
    WakeSignal signal)
{
    /// <summary>A handler that ignores its token for this long after it fired is abandoned (its lease then runs out).</summary>
    internal static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(30);

    /// <summary>When the host stops, handlers get this long to return before their jobs are given back all the same.</summary>
    internal static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<Guid, RunningAttempt> running = [];
    private readonly ConcurrentQueue<RunningAttempt> finished = new();
    private readonly List<RunningAttempt> unrecorded = [];

    // handlers started and not yet returned; while the loop has no use for single results (a pass that
    // claims no more), only the last one to return wakes it (the ticker wakes it for the rest)
    private int unfinished;
    private volatile bool wakeOnEachFinish = true;

    /// <summary>Handlers running (started, not yet collected as finished, abandoned or given back).</summary>
    public int RunningCount => running.Count;

    /// <summary>Attempts finished or given back, waiting to be recorded.</summary>
    public int UnrecordedCount => unrecorded.Count;

    /// <summary>When the oldest unrecorded attempt was collected (null: none).</summary>
    public DateTimeOffset? FirstUnrecordedAt { get; private set; }

    /// <summary>False: only the last handler to return wakes the loop (it has no use for single results).</summary>
    public bool WakeOnEachFinish
    {
        get => wakeOnEachFinish;
        set => wakeOnEachFinish = value;
    }

    public void Start(Job job, PassCancellation pass)
    {
        var attempt = new RunningAttempt(job, new AttemptCancellation(pass, options.TaskTimeout(job.TaskType), time), time.GetTimestamp());
        running[job.Id] = attempt;
        Interlocked.Increment(ref unfinished);
        _ = ExecuteAsync(attempt);
    }

    /// <summary>Moves the handlers that returned since the last call to the unrecorded attempts.</summary>
    public void CollectFinished(DateTimeOffset now)
    {
        while (finished.TryDequeue(out var done))
        {
            running.Remove(done.Job.Id);
            FirstUnrecordedAt ??= now;
            unrecorded.Add(done);
        }
    }

    /// <summary>What the session records for the unrecorded attempts.</summary>
    public JobRunner.AttemptResult[] UnrecordedResults() => unrecorded.Select(a => a.Result!).ToArray();

    /// <summary>The unrecorded attempts were recorded: their slots are free again.</summary>
    public void Recorded()
    {
        foreach (var a in unrecorded.Where(a => a.IsFinished))
        {
            a.Cancellation.Dispose();
        }

        slots.Return(unrecorded.Count);
        unrecorded.Clear();
        FirstUnrecordedAt = null;
    }

    /// <summary>The pass's token fired (deadline, host shutdown): fires every running handler's token.</summary>
    public void CancelAll()
    {
        foreach (var attempt in running.Values)
        {
            attempt.Cancellation.FromPass();
        }
    }

    /// <summary>Only after an error: whatever still runs is abandoned (its lease runs out).</summary>
    public void AbandonAll()
    {
        foreach (var attempt in running.Values)
        {
            attempt.Cancellation.FromPass();
            attempt.TryAbandon();
        }
    }

    /// <summary>Extends the leases of the jobs still running (and those finished but not yet recorded); cancels the handlers of those taken over.</summary>
    public async Task<bool> ExtendLeasesAsync(TimeSpan lease)
    {
        var ids = running.Values.Select(a => a.Job.Id).Concat(unrecorded.Select(a => a.Job.Id)).ToList();
        IReadOnlySet<Guid> held;
        try
        {
            held = await store.ExtendLeasesAsync(runnerId, ids, lease, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RunnerLog.SessionDatabaseError(logger, runnerId, "heartbeat", e.GetType().Name, e.Message, 0);
            return false;
        }

        foreach (var attempt in running.Values.Where(a => !held.Contains(a.Job.Id)))
        {
            attempt.Cancellation.LoseLease();
        }

        return true;
    }

    /// <summary>Handlers whose token fired long ago and that still run: abandoned, so that the pass ends and the lease runs out.</summary>
    public void AbandonUnresponsive(DateTimeOffset now, PassTally tally)
    {
        List<RunningAttempt>? abandoned = null;
        foreach (var attempt in running.Values)
        {
            if (!attempt.Cancellation.Token.IsCancellationRequested)
            {
                continue;
            }

            attempt.Cancellation.CancelledAt ??= now;
            if (now - attempt.Cancellation.CancelledAt >= AbandonGrace && attempt.TryAbandon())
            {
                (abandoned ??= []).Add(attempt);
            }
        }

        foreach (var attempt in abandoned ?? [])
        {
            running.Remove(attempt.Job.Id);
            var job = attempt.Job;
            var reason = attempt.Cancellation.Reason;
            RunnerLog.AttemptAbandoned(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, reason.ToString(), (long)AbandonGrace.TotalSeconds);
            tally.Add(new RunnerJobResult(job.Id, job.TaskType, "abandoned", job.Attempts,
                (long)time.GetElapsedTime(attempt.StartedAt).TotalMilliseconds,
                $"the handler did not stop within {AbandonGrace.TotalSeconds:0} s of its cancellation ({reason}): its lease runs out and another runner takes the job over"));
        }
    }

    /// <summary>The host is stopping and these handlers did not return within the grace: their jobs are given back all the same.</summary>
    public void GiveBackStragglers()
    {
        foreach (var attempt in running.Values.ToList())
        {
            if (attempt.TryGiveBack())
            {
                running.Remove(attempt.Job.Id);
                attempt.Result = runner.GivenBack(attempt.Job, runnerId, time.GetElapsedTime(attempt.StartedAt),
                    $"the handler did not stop within {ShutdownGrace.TotalSeconds:0} s");
                unrecorded.Add(attempt);
            }
        }
    }

    private async Task ExecuteAsync(RunningAttempt attempt)
    {
        JobRunner.AttemptResult? result = null;
        try
        {
            result = await runner.RunAttemptAsync(attempt.Job, runnerId, attempt.Cancellation);
        }
        finally
        {
            if (attempt.TryFinish())
            {
                attempt.Result = result ?? runner.GivenBack(attempt.Job, runnerId, time.GetElapsedTime(attempt.StartedAt), "the runner failed");
                finished.Enqueue(attempt);
                if (Interlocked.Decrement(ref unfinished) == 0 || wakeOnEachFinish)
                {
                    signal.Set();
                }
            }
            else
            {
                // abandoned (its slot was held until now) or given back (its slot went with its record): the result is discarded
                JobAttemptActivity.Finish(result?.Activity, AttemptOutcome.Unrecorded,
                    attempt.WasAbandoned ? "abandoned: the handler returned after the runner gave up on it" : "given back at the host's shutdown before the handler returned");
                attempt.Cancellation.Dispose();
                Interlocked.Decrement(ref unfinished);
                if (attempt.WasAbandoned)
                {
                    slots.Return(1);
                }
            }
        }
    }
}
