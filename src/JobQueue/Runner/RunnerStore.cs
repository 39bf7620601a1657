using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>The runner's database calls (<see cref="IRunnerStore"/>) on the real stores: the hot path, the pause switch, the task limits.</summary>
internal sealed class RunnerStore(JobQueueStore queue, QueueSettingsStore settings, TaskLimitStore taskLimits) : IRunnerStore
{
    public Task<QueueSettings> GetSettingsAsync(CancellationToken cancellationToken) => settings.GetSettingsAsync(cancellationToken);

    public Task<IReadOnlyList<Job>> ClaimAsync(int limit, TimeSpan lease, string runnerId, CancellationToken cancellationToken) =>
        queue.ClaimAsync(limit, lease, runnerId, cancellationToken);

    public Task<IReadOnlyList<CompletedJob>> CompleteAsync(string runnerId, IReadOnlyCollection<JobCompletion> completions, CancellationToken cancellationToken) =>
        queue.CompleteAsync(runnerId, completions, cancellationToken);

    public Task<IReadOnlySet<Guid>> ExtendLeasesAsync(string runnerId, IReadOnlyCollection<Guid> ids, TimeSpan lease, CancellationToken cancellationToken) =>
        queue.ExtendLeasesAsync(runnerId, ids, lease, cancellationToken);

    public Task PauseTaskTypeAsync(string taskType, DateTimeOffset until, string reason, string runnerId, CancellationToken cancellationToken) =>
        taskLimits.PauseAsync(taskType, until, reason, TaskLimitStore.FromHandler, runnerId, cancellationToken);
}
