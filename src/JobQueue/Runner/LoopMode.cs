namespace JobQueue.Runner;

/// <summary>
/// The server's runner loop (<see cref="JobRunner.RunLoopAsync"/>): no job limit, no budget (its jobs
/// run until their task timeout), checks the pause switch before its first claim, waits through
/// <paramref name="idle"/> (LISTEN/NOTIFY, the poll) while the queue is drained, and outlives database
/// errors (its claims pause for the session's database backoff).
/// </summary>
internal sealed class LoopMode(string runnerId, IQueueIdleWaiter idle) : IRunnerMode
{
    public string RunnerId => runnerId;

    public DateTimeOffset? Deadline => null;

    public bool EndsWhenDrained => false;

    public bool PauseCheckedAtStart => false;

    public bool ChecksPause => true;

    public int JobsLeft(int claimed) => int.MaxValue;

    public bool InClaimTime(DateTimeOffset now) => true;

    public void OutOfClaimTime(DateTimeOffset now)
    {
    }

    public bool FailsOnDatabaseError(int running) => false;

    // not on the host's token: a stop during this call must not end the loop with its jobs still running
    public Task<bool> DrainedAsync() => idle.DrainedAsync(CancellationToken.None);

    public Task BusyAsync() => idle.BusyAsync(CancellationToken.None);

    public Task WaitForJobsAsync(CancellationToken cancellationToken) => idle.WaitAsync(cancellationToken);
}
