using System.Text.Json;
using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>What a handler knows about the attempt it runs.</summary>
public sealed record JobContext(Job Job, string RunnerId, DateTimeOffset Deadline)
{
    public Guid JobId => Job.Id;
    public string TaskType => Job.TaskType;
    public int Attempt => Job.Attempts;
    public int MaxAttempts => Job.MaxAttempts;
    public JsonElement Payload => Job.Payload;

    /// <summary>
    /// Ends this attempt without using it up: the job runs again after <paramref name="delay"/>
    /// (<c>throw context.Snooze(...)</c>, or let the exception propagate from a helper).
    /// </summary>
    public SnoozeJobException Snooze(TimeSpan delay, string reason) => new(delay, reason);
}
