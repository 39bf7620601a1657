namespace JobQueue.Runner;

/// <summary>Why a handler's token fired.</summary>
internal enum CancelReason
{
    None = 0,

    /// <summary>The pass's time budget ran out (its trigger would cut it).</summary>
    PassDeadline,

    /// <summary>The task type's timeout (<see cref="RunnerOptions.TaskTimeout"/>) ran out.</summary>
    TaskTimeout,

    /// <summary>A heartbeat found the job taken over: whatever the handler does is discarded.</summary>
    LeaseLost,

    /// <summary>The host is stopping: the job goes back to pending with its attempt given back.</summary>
    HostShutdown,
}

/// <summary>
/// The token shared by every handler of one pass: fires at the pass's deadline (if it has one) or
/// when the host stops, and remembers which came first (a host shutdown always wins: its jobs are
/// given back, whatever else happened).
/// </summary>
internal sealed class PassCancellation : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly CancellationTokenSource? deadline;
    private readonly CancellationTokenRegistration deadlineRegistration;
    private int reason;

    public PassCancellation(DateTimeOffset? deadlineAt, TimeProvider time)
    {
        DeadlineAt = deadlineAt;
        if (deadlineAt is { } at)
        {
            deadline = new CancellationTokenSource(TimeSpanUntil(at, time), time);
            deadlineRegistration = deadline.Token.UnsafeRegister(static s => ((PassCancellation)s!).Cancel(CancelReason.PassDeadline), this);
        }
    }

    public DateTimeOffset? DeadlineAt { get; }

    public CancellationToken Token => source.Token;

    public CancelReason Reason => (CancelReason)Volatile.Read(ref reason);

    public bool IsStopping => Reason == CancelReason.HostShutdown;

    public void Cancel(CancelReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, 0) != 0)
        {
            if (why != CancelReason.HostShutdown)
            {
                return;
            }

            Volatile.Write(ref reason, (int)why);
        }

        // on the thread pool: the handlers' continuations must not run on the caller's (the pass's) thread
        _ = source.CancelAsync();
    }

    public void Dispose()
    {
        deadlineRegistration.Dispose();
        deadline?.Dispose();
        source.Dispose();
    }

    internal static TimeSpan TimeSpanUntil(DateTimeOffset at, TimeProvider time)
    {
        var left = at - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

/// <summary>
/// One handler's token: fired by the pass (its deadline, the host's shutdown: the pass's loop calls
/// <see cref="FromPass"/> for each running handler when it sees the pass's token fire), its task type's
/// timeout (a timer only where that comes before the pass's deadline) and the loss of its lease. Not
/// linked to the pass's token (a linked source and a registration per job on the drain's hot path).
/// <see cref="Reason"/> says which fired first.
/// </summary>
internal sealed class AttemptCancellation : IDisposable
{
    private readonly PassCancellation pass;
    private readonly CancellationTokenSource source;
    private readonly bool hasTimeout;
    private int leaseLost;
    private int firedByPass;

    public AttemptCancellation(PassCancellation pass, TimeSpan? taskTimeout, TimeProvider time)
    {
        this.pass = pass;
        Deadline = pass.DeadlineAt ?? DateTimeOffset.MaxValue;
        var now = time.GetUtcNow();
        if (taskTimeout is { } limit && now + limit < Deadline)
        {
            Deadline = now + limit;
            hasTimeout = true;
            source = new CancellationTokenSource(limit, time);
        }
        else
        {
            source = new CancellationTokenSource();
        }

        if (pass.Token.IsCancellationRequested)
        {
            firedByPass = 1;
            source.Cancel(); // nothing registered on it yet
        }
    }

    /// <summary>When the handler's token fires at the latest (its timeout or the pass's deadline); MaxValue for none.</summary>
    public DateTimeOffset Deadline { get; }

    public CancellationToken Token => source.Token;

    /// <summary>When the token fired (set by the pass when it notices), for the abandon grace.</summary>
    public DateTimeOffset? CancelledAt { get; set; }

    public CancelReason Reason =>
        pass.IsStopping ? CancelReason.HostShutdown
        : Volatile.Read(ref leaseLost) == 1 ? CancelReason.LeaseLost
        : hasTimeout && source.IsCancellationRequested && Volatile.Read(ref firedByPass) == 0 ? CancelReason.TaskTimeout
        : pass.Reason;

    /// <summary>The pass was cancelled (its deadline, the host's shutdown): fires the handler's token unless something else did first.</summary>
    public void FromPass()
    {
        if (!source.IsCancellationRequested)
        {
            Volatile.Write(ref firedByPass, 1);
            _ = source.CancelAsync();
        }
    }

    public void LoseLease()
    {
        if (Interlocked.Exchange(ref leaseLost, 1) == 0)
        {
            _ = source.CancelAsync();
        }
    }

    public void Dispose() => source.Dispose();
}
