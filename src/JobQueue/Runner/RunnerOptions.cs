namespace JobQueue.Runner;

/// <summary>Settings section <c>Runner</c> (Functions app settings: <c>Runner__MaxLimit</c> and so on).</summary>
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    /// <summary>Jobs per pass when the caller gives no limit.</summary>
    public int DefaultLimit { get; set; } = 5;

    /// <summary>The most jobs one pass may claim, whatever the caller asks.</summary>
    public int MaxLimit { get; set; } = 10;

    /// <summary>
    /// A pass never outlives its trigger (HTTP gateways cut at 230 s): it stops claiming when the
    /// budget is nearly spent and handlers' tokens fire at the deadline.
    /// </summary>
    public int TimeBudgetSeconds { get; set; } = 180;

    /// <summary>No new claim once less than this is left of the budget.</summary>
    public int ClaimMarginSeconds { get; set; } = 20;

    /// <summary>Lease on a claimed job; at least the time budget plus 5 s, so that a live runner keeps it.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>Identifies this process in <c>locked_by</c> and the attempt history (default: machine name).</summary>
    public string? RunnerName { get; set; }

    /// <summary>
    /// A job whose task type this instance has no handler for (a newer version enqueued it during a
    /// rolling deploy) waits this long between looks, without using up an attempt...
    /// </summary>
    public int UnknownTaskTypeRetrySeconds { get; set; } = 60;

    /// <summary>...for up to this long after it was created; then it fails for good.</summary>
    public int UnknownTaskTypeGraceSeconds { get; set; } = 3600;

    public RetryBackoffOptions Backoff { get; set; } = new();
}

/// <summary>Exponential backoff with jitter: attempt n waits between half and all of min(Max, Base * 2^(n-1)).</summary>
public sealed class RetryBackoffOptions
{
    public double BaseSeconds { get; set; } = 30;

    public double MaxSeconds { get; set; } = 3600;
}
