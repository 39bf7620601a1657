namespace JobQueue.Runner;

/// <summary>Batches the finished attempts of one session and records them (<see cref="AttemptCompleter"/>).</summary>
internal interface IAttemptCompleter
{
    /// <summary>Attempts finished or given back, waiting to be recorded.</summary>
    int Count { get; }

    /// <summary>The jobs of those attempts (their leases must still be extended).</summary>
    IEnumerable<Guid> JobIds { get; }

    void Add(RunningAttempt attempt, DateTimeOffset now);

    /// <summary>
    /// Whether to record now: something waits, the database backoff allows it, and either
    /// <paramref name="recordNow"/> (slots are wanted, the host stops, nothing else runs) or the oldest
    /// waited <paramref name="batchWindow"/> (one round trip for many, not one per finished handler).
    /// </summary>
    bool IsDue(DateTimeOffset now, bool recordNow, TimeSpan batchWindow);

    /// <summary>Records every waiting attempt in one round trip and frees their slots; false (logged, backed off) when the database failed.</summary>
    Task<bool> RecordAsync(PassTally tally);
}
