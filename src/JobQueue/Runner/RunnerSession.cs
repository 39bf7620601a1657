using System.Collections.Concurrent;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// What one run of the executor may do. <see cref="MaxJobs"/>: a single pass's limit (null: no limit,
/// a draining pass or the server's loop). <see cref="ClaimUntil"/> / <see cref="Deadline"/>: the
/// pass's budget (null: none, the server's loop). <see cref="Idle"/>: how the server's loop waits
/// for new jobs when the queue is drained; null ends the run once the queue is drained.
/// </summary>
internal sealed record RunnerSessionPlan(
    string RunnerId,
    int? MaxJobs,
    DateTimeOffset? ClaimUntil,
    DateTimeOffset? Deadline,
    bool Force,
    IQueueIdleWaiter? Idle = null);

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

/// <summary>
/// The runner's executor: claims due jobs into free slots (<see cref="RunnerSlots"/>), runs their
/// handlers concurrently, records finished attempts in batches as they finish (before claiming again,
/// so a slot is reused only once its attempt is recorded), extends the leases of running jobs
/// (heartbeat) and cancels a handler whose lease was taken over, enforces task timeouts and the
/// pass's deadline, and, when the host stops, cancels every handler and gives its job back (snoozed,
/// "host shutdown"). It runs on the host's lifetime, never on a caller's token.
/// </summary>
internal sealed partial class RunnerSession(
    JobRunner runner,
    JobQueueStore store,
    QueueSettingsStore settingsStore,
    RunnerSlots slots,
    RunnerOptions options,
    JobQueueMetrics metrics,
    TimeProvider time,
    ILogger logger,
    RunnerSessionPlan plan,
    CancellationToken hostStopping)
{
    /// <summary>A handler that ignores its token for this long after it fired is abandoned (its lease then runs out).</summary>
    internal static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(30);

    /// <summary>When the host stops, handlers get this long to return before their jobs are given back all the same.</summary>
    internal static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private const int MaxClaimBatch = 1000;
    private static readonly TimeSpan PauseCheckInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<Guid, RunningAttempt> running = [];
    private readonly ConcurrentQueue<RunningAttempt> finished = new();
    private readonly List<RunningAttempt> unrecorded = [];
    private readonly WakeSignal signal = new();
    private readonly SessionDatabaseRetry dbRetry = new(time);
    private DateTimeOffset? firstUnrecordedAt;

    // handlers started and not yet returned; while the loop has no use for single results (a pass that
    // claims no more), only the last one to return wakes it (the ticker wakes it for the rest)
    private int unfinished;
    private volatile bool wakeOnEachFinish = true;

    public bool Drained { get; private set; }

    /// <summary>The pass stopped claiming at its claim budget.</summary>
    public bool OutOfTime { get; private set; }

    public async Task RunAsync(PassTally tally)
    {
        using var pass = new PassCancellation(plan.Deadline, time);
        using var stopRegistration = hostStopping.UnsafeRegister(static s =>
        {
            var (p, w) = ((PassCancellation, WakeSignal))s!;
            p.Cancel(CancelReason.HostShutdown);
            w.Set();
        }, (pass, signal));
        // the pass's token (deadline, host shutdown) wakes the loop, which fires every running handler's
        // token (AttemptCancellation.FromPass; a handler started later gets a fired token): at once,
        // or when a claim, record or heartbeat in flight returns
        using var passRegistration = pass.Token.UnsafeRegister(static s => ((WakeSignal)s!).Set(), signal);
        var passedOn = false;
        var heartbeat = options.HeartbeatInterval;
        var tick = heartbeat / 2 < TimeSpan.FromSeconds(1) ? heartbeat / 2 : TimeSpan.FromSeconds(1);
        using var ticker = time.CreateTimer(static s => ((WakeSignal)s!).Set(), signal, tick, tick);
        var lease = TimeSpan.FromSeconds(Math.Max(1, options.LeaseSeconds));

        var claimed = 0;
        var queueEmpty = false;
        var claimsFailed = false;
        var outOfTimeLogged = false;
        var nextHeartbeat = time.GetUtcNow() + heartbeat;
        var nextScan = time.GetUtcNow() + tick;
        // a pass was checked by its caller just now; the loop checks first
        DateTimeOffset? pauseCheckedAt = plan.Idle is null ? time.GetUtcNow() : null;
        var paused = false;
        DateTimeOffset? stopSeenAt = null;
        Task? idleWait = null;
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                while (finished.TryDequeue(out var done))
                {
                    running.Remove(done.Job.Id);
                    firstUnrecordedAt ??= now;
                    unrecorded.Add(done);
                }

                // records free slots for claims; a pass that claims no more records its batch once every
                // handler has returned, or a tick after the first finished (one round trip, not one per wake-up)
                var claimsMore = !pass.IsStopping && !claimsFailed && (plan.MaxJobs is null || claimed < plan.MaxJobs)
                                 && !(queueEmpty && plan.Idle is null) && (plan.ClaimUntil is not { } claimUntil || now < claimUntil);
                if (unrecorded.Count > 0 && dbRetry.Due(now) && (claimsMore || pass.IsStopping || running.Count == 0 || now - firstUnrecordedAt >= tick))
                {
                    if (await TryRecordAsync(tally))
                    {
                        // a recorded success may have enqueued follow-ups, a failure a retry due now
                        queueEmpty &= plan.Idle is null;
                    }
                    else if (plan.Idle is null && running.Count == 0)
                    {
                        throw dbRetry.LastError!;
                    }
                }

                if (pass.Token.IsCancellationRequested && !passedOn)
                {
                    passedOn = true;
                    foreach (var attempt in running.Values)
                    {
                        attempt.Cancellation.FromPass();
                    }
                }

                if (pass.IsStopping)
                {
                    stopSeenAt ??= now;
                    if (now - stopSeenAt >= ShutdownGrace && running.Count > 0)
                    {
                        GiveBackStragglers();
                        continue;
                    }
                }

                if (now >= nextScan)
                {
                    nextScan = now + tick;
                    AbandonUnresponsive(now, tally);
                }

                if (now >= nextHeartbeat && (running.Count > 0 || unrecorded.Count > 0))
                {
                    nextHeartbeat = await HeartbeatAsync(lease) ? now + heartbeat : now + tick;
                }

                // claim into free slots
                var canClaim = !pass.IsStopping && !queueEmpty && !claimsFailed && unrecorded.Count == 0 && dbRetry.Due(now)
                               && (plan.MaxJobs is null || claimed < plan.MaxJobs);
                if (canClaim && plan.ClaimUntil is { } until && now >= until)
                {
                    canClaim = false;
                    if (!outOfTimeLogged)
                    {
                        outOfTimeLogged = true;
                        OutOfTime = true;
                        RunnerLog.PassOutOfTime(logger, plan.RunnerId, (long)((plan.Deadline ?? until) - now).TotalMilliseconds);
                    }
                }

                if (canClaim && !plan.Force && (pauseCheckedAt is null || now - pauseCheckedAt >= PauseCheckInterval))
                {
                    paused = !await ProcessingEnabledAsync();
                    pauseCheckedAt = now;
                }

                if (paused && canClaim)
                {
                    canClaim = false;
                    queueEmpty |= plan.Idle is not null; // the loop waits as if drained, and looks again
                }

                var taken = canClaim ? slots.TryTake(Math.Min(MaxClaimBatch, plan.MaxJobs is { } max ? max - claimed : MaxClaimBatch)) : 0;
                if (taken > 0)
                {
                    IReadOnlyList<Job> jobs;
                    try
                    {
                        jobs = await store.ClaimAsync(taken, lease, plan.RunnerId, CancellationToken.None);
                        dbRetry.Succeeded();
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        slots.Return(taken);
                        if (plan.Idle is null && running.Count == 0)
                        {
                            throw;
                        }

                        // a pass lets its running jobs finish; the server's loop tries again after a pause
                        claimsFailed = plan.Idle is null;
                        RunnerLog.SessionDatabaseError(logger, plan.RunnerId, "claim", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
                        continue;
                    }

                    slots.Return(taken - jobs.Count);
                    claimed += jobs.Count;
                    if (jobs.Count > 0)
                    {
                        metrics.Claimed(jobs.Count);
                        foreach (var job in jobs)
                        {
                            Start(job, pass);
                        }
                    }

                    if (jobs.Count < taken)
                    {
                        queueEmpty = true;
                        Drained = true;
                        // not on hostStopping: a stop during this call must not end the loop with its jobs still running
                        if (plan.Idle is { } idle && await idle.DrainedAsync(CancellationToken.None))
                        {
                            queueEmpty = false; // newly listening: a job enqueued before that sent no notification
                        }
                    }
                    else if (plan.Idle is { } idle)
                    {
                        Drained = false;
                        await idle.BusyAsync(CancellationToken.None);
                    }

                    continue;
                }

                var nothingLeft = running.Count == 0 && unrecorded.Count == 0;
                if (nothingLeft && (plan.Idle is null || pass.IsStopping))
                {
                    // a pass: drained, out of time or jobs, paused, stopping, or every slot is another pass's
                    return;
                }

                if (plan.Idle is { } waiter && !pass.IsStopping)
                {
                    if (idleWait is { IsCompleted: true })
                    {
                        idleWait = null;
                        queueEmpty = false;
                        continue;
                    }

                    if (queueEmpty && idleWait is null)
                    {
                        idleWait = WhenWokenAsync(waiter.WaitAsync(hostStopping));
                    }
                    else if (canClaim && taken == 0 && running.Count == 0)
                    {
                        // every slot is held by another pass of this instance
                        _ = WhenWokenAsync(slots.ReleasedAsync());
                    }
                }

                wakeOnEachFinish = claimsMore || pass.IsStopping;
                await signal.WaitAsync();
            }
        }
        finally
        {
            // only after an error: whatever still runs is abandoned (its lease runs out)
            if (running.Count > 0)
            {
                pass.Cancel(CancelReason.PassDeadline);
                foreach (var attempt in running.Values)
                {
                    attempt.Cancellation.FromPass();
                    attempt.TryAbandon();
                }
            }
        }
    }

    private void Start(Job job, PassCancellation pass)
    {
        var attempt = new RunningAttempt(job, new AttemptCancellation(pass, options.TaskTimeout(job.TaskType), time), time.GetTimestamp());
        running[job.Id] = attempt;
        Interlocked.Increment(ref unfinished);
        _ = ExecuteAsync(attempt);
    }

    private async Task ExecuteAsync(RunningAttempt attempt)
    {
        JobRunner.AttemptResult? result = null;
        try
        {
            result = await runner.RunAttemptAsync(attempt.Job, plan.RunnerId, attempt.Cancellation);
        }
        finally
        {
            if (attempt.TryFinish())
            {
                attempt.Result = result ?? runner.GivenBack(attempt.Job, plan.RunnerId, time.GetElapsedTime(attempt.StartedAt), "the runner failed");
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

    private async Task<bool> TryRecordAsync(PassTally tally)
    {
        try
        {
            await runner.FinishAsync(plan.RunnerId, unrecorded.Select(a => a.Result!).ToArray(), tally);
        }
        catch (Exception e) when (e is not OperationCanceledException || !hostStopping.IsCancellationRequested)
        {
            RunnerLog.SessionDatabaseError(logger, plan.RunnerId, "record", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return false;
        }

        dbRetry.Succeeded();
        foreach (var a in unrecorded.Where(a => a.IsFinished))
        {
            a.Cancellation.Dispose();
        }

        slots.Return(unrecorded.Count);
        unrecorded.Clear();
        firstUnrecordedAt = null;
        return true;
    }

    /// <summary>Extends the leases of the jobs still running (and those finished but not yet recorded); cancels the handlers of those taken over.</summary>
    private async Task<bool> HeartbeatAsync(TimeSpan lease)
    {
        var ids = running.Values.Select(a => a.Job.Id).Concat(unrecorded.Select(a => a.Job.Id)).ToList();
        IReadOnlySet<Guid> held;
        try
        {
            held = await store.ExtendLeasesAsync(plan.RunnerId, ids, lease, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RunnerLog.SessionDatabaseError(logger, plan.RunnerId, "heartbeat", e.GetType().Name, e.Message, 0);
            return false;
        }

        foreach (var attempt in running.Values.Where(a => !held.Contains(a.Job.Id)))
        {
            attempt.Cancellation.LoseLease();
        }

        return true;
    }

    /// <summary>Handlers whose token fired long ago and that still run: abandoned, so that the pass ends and the lease runs out.</summary>
    private void AbandonUnresponsive(DateTimeOffset now, PassTally tally)
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
    private void GiveBackStragglers()
    {
        foreach (var attempt in running.Values.ToList())
        {
            if (attempt.TryGiveBack())
            {
                running.Remove(attempt.Job.Id);
                attempt.Result = runner.GivenBack(attempt.Job, plan.RunnerId, time.GetElapsedTime(attempt.StartedAt),
                    $"the handler did not stop within {ShutdownGrace.TotalSeconds:0} s");
                unrecorded.Add(attempt);
            }
        }
    }

    private async Task<bool> ProcessingEnabledAsync()
    {
        try
        {
            var settings = await settingsStore.GetSettingsAsync(CancellationToken.None);
            if (!settings.ProcessingEnabled)
            {
                RunnerLog.PassPaused(logger, plan.RunnerId, settings.PausedReason);
            }

            return settings.ProcessingEnabled;
        }
        catch (Exception e) when (e is not OperationCanceledException && (plan.Idle is not null || running.Count > 0))
        {
            RunnerLog.SessionDatabaseError(logger, plan.RunnerId, "settings", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return false;
        }
    }

    private async Task WhenWokenAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (Exception)
        {
            // a failed wait wakes the loop all the same; the loop's own calls report errors
        }

        signal.Set();
    }
}
