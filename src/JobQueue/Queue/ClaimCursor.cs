namespace JobQueue.Queue;

/// <summary>
/// Where this process's next claim starts (jobqueue.job_queue_claim,
/// Database/Schema/functions/runner/job_queue_claim.sql): in the priority level of the last
/// job it claimed (the claim takes the highest level first), after that job's (run_at, id), so that
/// a claim never walks past the index entries of jobs already taken; those
/// entries pile up while a long transaction holds the xmin horizon, and a claim that started from
/// the lowest key each time would slow down with every job drained. At least once every
/// <see cref="FullScanInterval"/> a claim starts from the lowest key again, to take jobs that sort
/// before the cursor: a rescued job at its original place, a job enqueued with a past run_at. (The
/// claim also looks before the cursor whenever too few jobs lie after it.) Thread-safe: every
/// runner loop of the process shares one cursor.
/// </summary>
public sealed class ClaimCursor(TimeProvider time)
{
    /// <summary>The longest time between two claims that start from the lowest key.</summary>
    public static readonly TimeSpan FullScanInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private (int Priority, DateTimeOffset RunAt, Guid Id)? _last;
    private long _lastFullScan;

    /// <summary>The key the next claim starts after (in its priority level); null: from the lowest key.</summary>
    public (int Priority, DateTimeOffset RunAt, Guid Id)? Next()
    {
        lock (_gate)
        {
            if (_last is null || _lastFullScan == 0 || time.GetElapsedTime(_lastFullScan) >= FullScanInterval)
            {
                _lastFullScan = time.GetTimestamp();
                return null;
            }

            return _last;
        }
    }

    /// <summary>
    /// Moves the cursor to the last of <paramref name="claimed"/> in claim order (the lowest priority,
    /// in it the highest (run_at, id)): always when that is in another priority level than the cursor
    /// (the queue's drain moved to that level: a cursor left in a level the claims no longer reach
    /// would never be used again), within the cursor's level only forward (a full scan's jobs, which
    /// sort before the cursor, do not move it back).
    /// </summary>
    public void Advance(IReadOnlyList<Job> claimed)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        var end = claimed[0];
        foreach (var job in claimed)
        {
            if (ComesAfter(job, end))
            {
                end = job;
            }
        }

        lock (_gate)
        {
            if (_last is not { } last || end.Priority != last.Priority || ComesAfter(end, (last.Priority, last.RunAt, last.Id)))
            {
                _last = (end.Priority, end.RunAt, end.Id);
            }
        }
    }

    private static bool ComesAfter(Job job, Job other) => ComesAfter(job, (other.Priority, other.RunAt, other.Id));

    private static bool ComesAfter(Job job, (int Priority, DateTimeOffset RunAt, Guid Id) key) =>
        job.Priority < key.Priority
        || (job.Priority == key.Priority && (job.RunAt > key.RunAt || (job.RunAt == key.RunAt && job.Id.CompareTo(key.Id) > 0)));
}
