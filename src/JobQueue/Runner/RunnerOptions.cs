namespace JobQueue.Runner;

/// <summary>Settings section <c>Runner</c> (Functions app settings: <c>Runner__MaxLimit</c> and so on).</summary>
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    /// <summary>Jobs per single pass (POST jobs/run without drain) when the caller gives no limit.</summary>
    public int DefaultLimit { get; set; } = 5;

    /// <summary>The most jobs one single pass may claim, whatever the caller asks.</summary>
    public int MaxLimit { get; set; } = 10;

    /// <summary>
    /// The most jobs one instance runs at once, all its passes together (the timer's, the wake-up
    /// queue's, HTTP callers', the server's loop): both hosts, every kind of pass. 64: jobs mostly wait on
    /// I/O (HTTP calls, SQL), a slot costs a task, and 64 handlers that each open a connection still fit
    /// Npgsql's default pool of 100 beside the runner's own calls; task types that must not run that
    /// wide get a concurrency limit (admin/task-limits) instead.
    /// </summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>
    /// A pass never outlives its trigger (HTTP gateways cut at 230 s): it stops claiming when the
    /// budget is nearly spent and handlers' tokens fire at the deadline. The server's runner loop has
    /// no budget (its jobs run until their task timeout).
    /// </summary>
    public int TimeBudgetSeconds { get; set; } = 180;

    /// <summary>No new claim once less than this is left of the budget.</summary>
    public int ClaimMarginSeconds { get; set; } = 20;

    /// <summary>
    /// Lease on a claimed job. A runner extends the leases of the jobs it runs every third of it
    /// (heartbeat), so a job may run longer; a runner that stops heartbeating loses its jobs after one lease.
    /// </summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>A handler's token fires after this long, unless <see cref="TaskTimeouts"/> names its task type (0 = no timeout).</summary>
    public double TaskTimeoutSeconds { get; set; } = 1800;

    /// <summary>Per task type: seconds until the handler's token fires (<c>Runner:TaskTimeouts:&lt;taskType&gt;</c>; 0 = no timeout).</summary>
    public Dictionary<string, double> TaskTimeouts { get; set; } = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Functions app: after an enqueue through the app, a message to the wake-up queue (where
    /// <c>AzureWebJobsStorage</c> is configured; read at start by <c>AddJobQueueWakeUpQueue</c>).
    /// </summary>
    public bool WakeUpQueueEnabled { get; set; } = true;

    /// <summary>The timeout of <paramref name="taskType"/>'s handler; null when it has none.</summary>
    public TimeSpan? TaskTimeout(string taskType)
    {
        var seconds = TaskTimeouts.TryGetValue(taskType, out var own) ? own : TaskTimeoutSeconds;
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>How often a runner extends the leases of its running jobs: a third of the lease.</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(Math.Max(LeaseSeconds, 1) / 3.0);
}

/// <summary>Exponential backoff with jitter: attempt n waits between half and all of min(Max, Base * 2^(n-1)).</summary>
public sealed class RetryBackoffOptions
{
    public double BaseSeconds { get; set; } = 30;

    public double MaxSeconds { get; set; } = 3600;
}
