using System.Collections.Concurrent;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The attempts one session (<see cref="JobProducer"/>) has running: it starts each on the executor
/// (<see cref="IJobExecutor"/>) with its own token, collects them as they return (waking the
/// producer), extends the leases of the jobs it holds (heartbeat) and cancels a handler whose lease
/// was taken over, abandons a handler that ignores its cancellation (its lease then runs out), and,
/// when the host stops, gives back the jobs of handlers that did not return in time. What it collects
/// goes to the completer (<see cref="IAttemptCompleter"/>). Used by the producer's loop alone
/// (handlers only enqueue themselves as finished).
/// </summary>
internal sealed class RunningAttempts(
    IJobExecutor executor,
    IRunnerStore store,
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

    // handlers started and not yet returned; while the loop has no use for single results (a pass that
    // claims no more), only the last one to return wakes it (the ticker wakes it for the rest)
    private int unfinished;
    private volatile bool wakeOnEachFinish = true;

    /// <summary>Handlers running (started, not yet collected as finished, abandoned or given back).</summary>
    public int RunningCount => running.Count;

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

    /// <summary>The handlers that returned since the last call (for the completer).</summary>
    public List<RunningAttempt> CollectFinished()
    {
        var done = new List<RunningAttempt>();
        while (finished.TryDequeue(out var attempt))
        {
            running.Remove(attempt.Job.Id);
            done.Add(attempt);
        }

        return done;
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

    /// <summary>Extends the leases of the jobs still running and of <paramref name="unrecorded"/> (finished, not yet recorded); cancels the handlers of those taken over.</summary>
    public async Task<bool> ExtendLeasesAsync(TimeSpan lease, IEnumerable<Guid> unrecorded)
    {
        var ids = running.Values.Select(a => a.Job.Id).Concat(unrecorded).ToList();
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
    public List<RunningAttempt> GiveBackStragglers()
    {
        var givenBack = new List<RunningAttempt>();
        foreach (var attempt in running.Values.ToList())
        {
            if (attempt.TryGiveBack())
            {
                running.Remove(attempt.Job.Id);
                attempt.Result = executor.GiveBack(attempt.Job, runnerId, time.GetElapsedTime(attempt.StartedAt),
                    $"the handler did not stop within {ShutdownGrace.TotalSeconds:0} s");
                givenBack.Add(attempt);
            }
        }

        return givenBack;
    }

    private async Task ExecuteAsync(RunningAttempt attempt)
    {
        AttemptResult? result = null;
        try
        {
            result = await executor.RunAsync(attempt.Job, runnerId, attempt.Cancellation);
        }
        finally
        {
            if (attempt.TryFinish())
            {
                attempt.Result = result ?? executor.GiveBack(attempt.Job, runnerId, time.GetElapsedTime(attempt.StartedAt), "the runner failed");
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
