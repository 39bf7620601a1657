using JobQueue.Database;

namespace JobQueue.Runner;

/// <summary>
/// When a runner session may call the database again after a failed claim, record or settings read (claims wait for it, records too): the
/// outage backoff (1 s doubling to 30 s, jittered), reset by a success.
/// </summary>
internal sealed class SessionDatabaseRetry(TimeProvider time)
{
    private int failures;
    private DateTimeOffset retryAt = DateTimeOffset.MinValue;

    public Exception? LastError { get; private set; }

    public bool Due(DateTimeOffset now) => now >= retryAt;

    public TimeSpan Failed(Exception e)
    {
        LastError = e;
        failures++;
        var wait = OutageBackoff.After(failures);
        retryAt = time.GetUtcNow() + wait;
        return wait;
    }

    public void Succeeded()
    {
        failures = 0;
        retryAt = DateTimeOffset.MinValue;
    }
}
