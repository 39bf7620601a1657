namespace JobQueue.Runner;

/// <summary>
/// What tells a runner pass from the server's runner loop, in one place: the producer
/// (<see cref="JobProducer"/>) asks its mode and never which mode it has. A pass (<see cref="PassMode"/>,
/// HTTP callers, timers, wake-ups) has a job limit and a time budget and ends when the queue is drained
/// or a database error leaves it nothing to run; the loop (<see cref="LoopMode"/>, the self-hosted
/// server) has neither, waits for new jobs when drained and outlives database errors.
/// </summary>
internal interface IRunnerMode
{
    string RunnerId { get; }

    /// <summary>When the handlers' tokens fire at the latest (the pass's budget); null: never.</summary>
    DateTimeOffset? Deadline { get; }

    /// <summary>
    /// A pass ends once the queue is drained (it claims no more after a short claim or a failed one);
    /// the loop waits for new jobs instead (<see cref="WaitForJobsAsync"/>) and looks again after each
    /// record (a success may have enqueued a follow-up, a failure a retry due now).
    /// </summary>
    bool EndsWhenDrained { get; }

    /// <summary>The pause switch was read by the caller just before the session started (a pass).</summary>
    bool PauseCheckedAtStart { get; }

    /// <summary>The session re-reads the pause switch once a second before claiming (not a forced pass).</summary>
    bool ChecksPause { get; }

    /// <summary>How many more jobs it may claim after <paramref name="claimed"/> (a pass's limit).</summary>
    int JobsLeft(int claimed);

    /// <summary>Whether its claim budget still allows a claim at <paramref name="now"/>.</summary>
    bool InClaimTime(DateTimeOffset now);

    /// <summary>The claim budget ran out (called once): a pass logs it and reports it.</summary>
    void OutOfClaimTime(DateTimeOffset now);

    /// <summary>A database error (claim, record, settings) with <paramref name="running"/> handlers still running: true ends the session with that error.</summary>
    bool FailsOnDatabaseError(int running);

    /// <summary>A claim came back short (the queue is drained); true: look again at once (newly listening for wake-ups).</summary>
    Task<bool> DrainedAsync();

    /// <summary>A claim came back full (more jobs may be due).</summary>
    Task BusyAsync();

    /// <summary>Completes when new jobs may be due (a wake-up, the poll); only for a mode that does not end when drained.</summary>
    Task WaitForJobsAsync(CancellationToken cancellationToken);
}
