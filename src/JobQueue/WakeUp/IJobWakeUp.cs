namespace JobQueue.Queue;

/// <summary>
/// Told by <see cref="JobQueueStore"/> (enqueue) and <see cref="JobActionStore"/> (retry, run now)
/// after a call that made jobs due now has committed: wakes runners elsewhere. Must return at once
/// and never throw; a wake-up that gets lost only costs latency (the runner timer is the backstop),
/// a duplicate does no harm.
/// </summary>
public interface IJobWakeUp
{
    void JobsDue();
}
