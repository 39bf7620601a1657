using JobQueue.Queue;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The producer, one session's loop: claims due jobs into free slots (<see cref="RunnerSlots"/>) and
/// starts them (<see cref="RunningAttempts"/>, which runs each on the executor), hands finished ones to
/// the completer (<see cref="IAttemptCompleter"/>; recorded before it claims again, so a slot is reused
/// only once its attempt is recorded), says when to extend leases (heartbeat), abandon unresponsive
/// handlers and, once the host stops, give back the jobs of handlers that did not return in time;
/// checks the pause switch; and waits for a finished handler, a tick, the host's shutdown or (a mode
/// that does not end when drained) new jobs. What a pass does differently from the server's loop is
/// its mode's (<see cref="IRunnerMode"/>). It runs on the host's lifetime, never on a caller's token.
/// </summary>
internal sealed class JobProducer(
    IRunnerMode mode,
    IRunnerStore store,
    IJobExecutor executor,
    IAttemptCompleter completer,
    SessionDatabaseRetry dbRetry,
    RunnerSlots slots,
    RunnerOptions options,
    JobQueueMetrics metrics,
    TimeProvider time,
    ILogger logger,
    CancellationToken hostStopping)
{
    private const int MaxClaimBatch = 1000;
    private static readonly TimeSpan PauseCheckInterval = TimeSpan.FromSeconds(1);

    private readonly WakeSignal signal = new();
    private readonly TimeSpan tick = options.HeartbeatInterval / 2 < TimeSpan.FromSeconds(1) ? options.HeartbeatInterval / 2 : TimeSpan.FromSeconds(1);
    private readonly TimeSpan lease = TimeSpan.FromSeconds(Math.Max(1, options.LeaseSeconds));
    private RunningAttempts attempts = null!; // set by RunAsync: a producer runs one session

    // what the loop has seen so far
    private int claimed;
    private bool queueEmpty;
    private bool claimsFailed;
    private bool paused;
    private DateTimeOffset? pauseCheckedAt;
    private DateTimeOffset nextHeartbeat;
    private DateTimeOffset nextScan;

    private enum ClaimStep
    {
        /// <summary>Nothing to claim now (stopping, drained, paused, out of budget, batch unrecorded, backing off).</summary>
        Skipped,

        /// <summary>It could claim, but every slot is taken (by this session or another of this instance).</summary>
        NoFreeSlot,

        /// <summary>It called the claim (whatever it returned, or a failure).</summary>
        Claimed,
    }

    public async Task RunAsync(PassTally tally)
    {
        using var pass = new PassCancellation(mode.Deadline, time);
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
        using var ticker = time.CreateTimer(static s => ((WakeSignal)s!).Set(), signal, tick, tick);
        attempts = new RunningAttempts(executor, store, slots, options, time, logger, mode.RunnerId, signal);
        var start = time.GetUtcNow();
        nextHeartbeat = start + options.HeartbeatInterval;
        nextScan = start + tick;
        pauseCheckedAt = mode.PauseCheckedAtStart ? start : null;
        var passedOn = false;
        var outOfTimeSeen = false;
        DateTimeOffset? stopSeenAt = null;
        Task? idleWait = null;
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                foreach (var done in attempts.CollectFinished())
                {
                    completer.Add(done, now);
                }

                // records free slots for claims; a session that claims no more records its batch once every
                // handler has returned, or a tick after the first finished (one round trip, not one per wake-up)
                var claimsMore = !pass.IsStopping && !claimsFailed && mode.JobsLeft(claimed) > 0
                                 && !(queueEmpty && mode.EndsWhenDrained) && mode.InClaimTime(now);
                if (completer.IsDue(now, claimsMore || pass.IsStopping || attempts.RunningCount == 0, tick))
                {
                    await RecordAsync(tally);
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
                        foreach (var givenBack in attempts.GiveBackStragglers())
                        {
                            completer.Add(givenBack, now);
                        }

                        continue;
                    }
                }

                if (now >= nextScan)
                {
                    nextScan = now + tick;
                    attempts.AbandonUnresponsive(now, tally);
                }

                if (now >= nextHeartbeat && (attempts.RunningCount > 0 || completer.Count > 0))
                {
                    nextHeartbeat = await attempts.ExtendLeasesAsync(lease, completer.JobIds) ? now + options.HeartbeatInterval : now + tick;
                }

                var canClaim = !pass.IsStopping && !queueEmpty && !claimsFailed && completer.Count == 0 && dbRetry.Due(now)
                               && mode.JobsLeft(claimed) > 0;
                if (canClaim && !mode.InClaimTime(now))
                {
                    canClaim = false;
                    if (!outOfTimeSeen)
                    {
                        outOfTimeSeen = true;
                        mode.OutOfClaimTime(now);
                    }
                }

                var step = canClaim ? await ClaimAsync(now, pass) : ClaimStep.Skipped;
                if (step == ClaimStep.Claimed)
                {
                    continue;
                }

                var nothingLeft = attempts.RunningCount == 0 && completer.Count == 0;
                if (nothingLeft && (mode.EndsWhenDrained || pass.IsStopping))
                {
                    // a pass: drained, out of time or jobs, paused, stopping, or every slot is another pass's
                    return;
                }

                if (!mode.EndsWhenDrained && !pass.IsStopping)
                {
                    if (idleWait is { IsCompleted: true })
                    {
                        idleWait = null;
                        queueEmpty = false;
                        continue;
                    }

                    if (queueEmpty && idleWait is null)
                    {
                        idleWait = signal.SetWhenCompletedAsync(mode.WaitForJobsAsync(hostStopping));
                    }
                    else if (step == ClaimStep.NoFreeSlot && attempts.RunningCount == 0)
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

    private async Task RecordAsync(PassTally tally)
    {
        if (await completer.RecordAsync(tally))
        {
            // a recorded success may have enqueued follow-ups, a failure a retry due now
            queueEmpty &= mode.EndsWhenDrained;
        }
        else if (mode.FailsOnDatabaseError(attempts.RunningCount))
        {
            throw dbRetry.LastError!;
        }
    }

    /// <summary>Checks the pause switch when due, then claims into free slots and starts what it claimed.</summary>
    private async Task<ClaimStep> ClaimAsync(DateTimeOffset now, PassCancellation pass)
    {
        if (mode.ChecksPause && (pauseCheckedAt is null || now - pauseCheckedAt >= PauseCheckInterval))
        {
            paused = !await ProcessingEnabledAsync();
            pauseCheckedAt = now;
        }

        if (paused)
        {
            queueEmpty |= !mode.EndsWhenDrained; // the loop waits as if drained, and looks again
            return ClaimStep.Skipped;
        }

        var taken = slots.TryTake(Math.Min(MaxClaimBatch, mode.JobsLeft(claimed)));
        if (taken == 0)
        {
            return ClaimStep.NoFreeSlot;
        }

        IReadOnlyList<Job> jobs;
        try
        {
            jobs = await store.ClaimAsync(taken, lease, mode.RunnerId, CancellationToken.None);
            dbRetry.Succeeded();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            slots.Return(taken);
            if (mode.FailsOnDatabaseError(attempts.RunningCount))
            {
                throw;
            }

            // a pass lets its running jobs finish and claims no more; the loop tries again after a pause
            claimsFailed = mode.EndsWhenDrained;
            RunnerLog.SessionDatabaseError(logger, mode.RunnerId, "claim", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return ClaimStep.Claimed;
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
            if (await mode.DrainedAsync())
            {
                queueEmpty = false; // newly listening: a job enqueued before that sent no notification
            }
        }
        else
        {
            await mode.BusyAsync();
        }

        return ClaimStep.Claimed;
    }

    private async Task<bool> ProcessingEnabledAsync()
    {
        try
        {
            var settings = await store.GetSettingsAsync(CancellationToken.None);
            if (!settings.ProcessingEnabled)
            {
                RunnerLog.PassPaused(logger, mode.RunnerId, settings.PausedReason);
            }

            return settings.ProcessingEnabled;
        }
        catch (Exception e) when (e is not OperationCanceledException && !mode.FailsOnDatabaseError(attempts.RunningCount))
        {
            RunnerLog.SessionDatabaseError(logger, mode.RunnerId, "settings", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return false;
        }
    }
}
