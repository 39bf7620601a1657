namespace JobQueue.Server;

/// <summary>Server-only runner settings (section <c>Runner</c>).</summary>
public sealed class ServerRunnerOptions
{
    public const string Section = "Runner";

    /// <summary>Seconds between the polling runner's passes; 0 turns polling off (the Runner schedule still runs).</summary>
    public double PollIntervalSeconds { get; set; } = 1;
}
