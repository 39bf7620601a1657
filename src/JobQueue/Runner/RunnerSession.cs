using JobQueue.Queue;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The runner's executor, the loop that claims, records and waits: claims due jobs into free slots
/// (<see cref="RunnerSlots"/>) and starts their handlers, which run concurrently; records finished
/// attempts in batches as they finish (before claiming again, so a slot is reused only once its
/// attempt is recorded); says when to extend the leases of running jobs (heartbeat), to abandon
/// unresponsive handlers and, once the host stops, to give back the jobs of handlers that did not
/// return in time (the attempts themselves are kept by <see cref="RunningAttempts"/>); enforces the
/// pass's budget and the pause switch; and waits for a finished handler, a tick, the host's shutdown
/// or (the server's loop) new jobs. It runs on the host's lifetime, never on a caller's token.
/// </summary>
internal sealed class RunnerSession(
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
    private const int MaxClaimBatch = 1000;
    private static readonly TimeSpan PauseCheckInterval = TimeSpan.FromSeconds(1);

    private readonly WakeSignal signal = new();
    private readonly SessionDatabaseRetry dbRetry = new(time);

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
        var attempts = new RunningAttempts(runner, store, slots, options, time, logger, plan.RunnerId, signal);

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
                attempts.CollectFinished(now);

                // records free slots for claims; a pass that claims no more records its batch once every
                // handler has returned, or a tick after the first finished (one round trip, not one per wake-up)
                var claimsMore = !pass.IsStopping && !claimsFailed && (plan.MaxJobs is null || claimed < plan.MaxJobs)
                                 && !(queueEmpty && plan.Idle is null) && (plan.ClaimUntil is not { } claimUntil || now < claimUntil);
                if (attempts.UnrecordedCount > 0 && dbRetry.Due(now)
                    && (claimsMore || pass.IsStopping || attempts.RunningCount == 0 || now - attempts.FirstUnrecordedAt >= tick))
                {
                    if (await TryRecordAsync(attempts, tally))
                    {
                        // a recorded success may have enqueued follow-ups, a failure a retry due now
                        queueEmpty &= plan.Idle is null;
                    }
                    else if (plan.Idle is null && attempts.RunningCount == 0)
                    {
                        throw dbRetry.LastError!;
                    }
                }

                if (pass.Token.IsCancellationRequested && !passedOn)
                {
                    passedOn = true;
                    attempts.CancelAll();
                }

                if (pass.IsStopping)
                {
                    stopSeenAt ??= now;
                    if (now - stopSeenAt >= RunningAttempts.ShutdownGrace && attempts.RunningCount > 0)
                    {
                        attempts.GiveBackStragglers();
                        continue;
                    }
                }

                if (now >= nextScan)
                {
                    nextScan = now + tick;
                    attempts.AbandonUnresponsive(now, tally);
                }

                if (now >= nextHeartbeat && (attempts.RunningCount > 0 || attempts.UnrecordedCount > 0))
                {
                    nextHeartbeat = await attempts.ExtendLeasesAsync(lease) ? now + heartbeat : now + tick;
                }

                // claim into free slots
                var canClaim = !pass.IsStopping && !queueEmpty && !claimsFailed && attempts.UnrecordedCount == 0 && dbRetry.Due(now)
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
                    paused = !await ProcessingEnabledAsync(attempts);
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
                        if (plan.Idle is null && attempts.RunningCount == 0)
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
                            attempts.Start(job, pass);
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

                var nothingLeft = attempts.RunningCount == 0 && attempts.UnrecordedCount == 0;
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
                        idleWait = signal.SetWhenCompletedAsync(waiter.WaitAsync(hostStopping));
                    }
                    else if (canClaim && taken == 0 && attempts.RunningCount == 0)
                    {
                        // every slot is held by another pass of this instance
                        _ = signal.SetWhenCompletedAsync(slots.ReleasedAsync());
                    }
                }

                attempts.WakeOnEachFinish = claimsMore || pass.IsStopping;
                await signal.WaitAsync();
            }
        }
        finally
        {
            // only after an error: whatever still runs is abandoned (its lease runs out)
            if (attempts.RunningCount > 0)
            {
                pass.Cancel(CancelReason.PassDeadline);
                attempts.AbandonAll();
            }
        }
    }

    private async Task<bool> TryRecordAsync(RunningAttempts attempts, PassTally tally)
    {
        try
        {
            await runner.FinishAsync(plan.RunnerId, attempts.UnrecordedResults(), tally);
        }
        catch (Exception e) when (e is not OperationCanceledException || !hostStopping.IsCancellationRequested)
        {
            RunnerLog.SessionDatabaseError(logger, plan.RunnerId, "record", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return false;
        }

        dbRetry.Succeeded();
        attempts.Recorded();
        return true;
    }

    private async Task<bool> ProcessingEnabledAsync(RunningAttempts attempts)
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
        catch (Exception e) when (e is not OperationCanceledException && (plan.Idle is not null || attempts.RunningCount > 0))
        {
            RunnerLog.SessionDatabaseError(logger, plan.RunnerId, "settings", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return false;
        }
    }
}
