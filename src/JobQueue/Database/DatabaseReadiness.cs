namespace JobQueue.Database;

/// <summary>
/// Whether this instance has finished its database start-up (migrations applied, or not its job, and
/// the app's login reached the queue's functions). Until then the background loops wait, the API
/// answers 503 for what needs the database, and the server's <c>/healthz/ready</c> says why. Set by
/// <see cref="DatabaseStartupService"/>, which keeps retrying until PostgreSQL is there.
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _reason = "starting: the database has not been reached yet";

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Why the instance is not ready (no connection string, host or secret in it); null once ready.</summary>
    public string? Reason => IsReady ? null : _reason;

    /// <summary>Failed start-up attempts so far.</summary>
    public int FailedAttempts { get; private set; }

    public void MarkReady() => _ready.TrySetResult();

    public void MarkNotReady(string reason)
    {
        FailedAttempts++;
        _reason = reason;
    }

    /// <summary>Completes once the start-up has succeeded.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);
}
