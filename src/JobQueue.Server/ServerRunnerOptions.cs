namespace JobQueue.Server;

/// <summary>Server-only runner settings (section <c>Runner</c>).</summary>
public sealed class ServerRunnerOptions
{
    public const string Section = "Runner";

    /// <summary>
    /// Longest wait between the runner loop's passes when the queue is drained (new jobs wake it at once);
    /// 0 turns the loop off (the Runner schedule still runs).
    /// </summary>
    public double PollIntervalSeconds { get; set; } = 1;
}
