namespace JobQueue.Queue;

/// <summary>
/// Where this process's next claim starts (migration 0110): after the (run_at, id) of the last job
/// it claimed, so that a claim never walks past the index entries of jobs already taken; those
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
    private (DateTimeOffset RunAt, Guid Id)? _last;
    private long _lastFullScan;

    /// <summary>The key the next claim starts after; null: from the lowest key.</summary>
    public (DateTimeOffset RunAt, Guid Id)? Next()
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

    /// <summary>Moves the cursor to the highest key of <paramref name="claimed"/> when that is after it.</summary>
    public void Advance(IReadOnlyList<Job> claimed)
    {
        lock (_gate)
        {
            foreach (var job in claimed)
            {
                if (_last is not { } last || job.RunAt > last.RunAt || (job.RunAt == last.RunAt && job.Id.CompareTo(last.Id) > 0))
                {
                    _last = (job.RunAt, job.Id);
                }
            }
        }
    }
}
