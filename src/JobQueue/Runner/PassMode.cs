using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// A runner pass (<see cref="JobRunner.RunPassAsync"/>): claims at most <paramref name="maxJobs"/>
/// (null: a draining pass, no limit) until <paramref name="claimUntil"/>, cancels its handlers at
/// <paramref name="deadline"/>, ends when the queue is drained, and reports whether it was
/// (<see cref="Drained"/>) and whether it ran out of time (<see cref="OutOfTime"/>).
/// </summary>
internal sealed class PassMode(
    string runnerId,
    int? maxJobs,
    DateTimeOffset claimUntil,
    DateTimeOffset deadline,
    bool force,
    ILogger logger) : IRunnerMode
{
    public string RunnerId => runnerId;

    public DateTimeOffset? Deadline => deadline;

    public bool EndsWhenDrained => true;

    public bool PauseCheckedAtStart => true;

    public bool ChecksPause => !force;

    /// <summary>A claim came back short: no due job was left.</summary>
    public bool Drained { get; private set; }

    /// <summary>The pass stopped claiming at its claim budget.</summary>
    public bool OutOfTime { get; private set; }

    public int JobsLeft(int claimed) => maxJobs is { } max ? max - claimed : int.MaxValue;

    public bool InClaimTime(DateTimeOffset now) => now < claimUntil;

    public void OutOfClaimTime(DateTimeOffset now)
    {
        OutOfTime = true;
        RunnerLog.PassOutOfTime(logger, runnerId, (long)(deadline - now).TotalMilliseconds);
    }

    // a pass lets its running jobs finish; with none it fails
    public bool FailsOnDatabaseError(int running) => running == 0;

    public Task<bool> DrainedAsync()
    {
        Drained = true;
        return Task.FromResult(false);
    }

    public Task BusyAsync() => Task.CompletedTask;

    public Task WaitForJobsAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a pass ends when the queue is drained; it does not wait for new jobs");
}
