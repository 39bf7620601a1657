using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>
/// The runner's database calls, and nothing else: the seam between the runner and PostgreSQL
/// (<see cref="RunnerStore"/>), so that its producer, executor and completer can be tested against an
/// in-memory store. Each call is one stored function (no SQL lives in the runner).
/// </summary>
internal interface IRunnerStore
{
    /// <summary><c>job_queue_get_settings</c>: the pause switch.</summary>
    Task<QueueSettings> GetSettingsAsync(CancellationToken cancellationToken);

    /// <summary><c>job_queue_claim</c>: up to <paramref name="limit"/> due jobs, leased to <paramref name="runnerId"/>.</summary>
    Task<IReadOnlyList<Job>> ClaimAsync(int limit, TimeSpan lease, string runnerId, CancellationToken cancellationToken);

    /// <summary><c>job_queue_complete</c> (which enqueues follow-ups): the attempts this runner still held.</summary>
    Task<IReadOnlyList<CompletedJob>> CompleteAsync(string runnerId, IReadOnlyCollection<JobCompletion> completions, CancellationToken cancellationToken);

    /// <summary><c>job_queue_extend_leases</c> (heartbeat): the jobs among <paramref name="ids"/> this runner still holds.</summary>
    Task<IReadOnlySet<Guid>> ExtendLeasesAsync(string runnerId, IReadOnlyCollection<Guid> ids, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary><c>job_queue_pause_task_type</c>: a handler held its whole task type back.</summary>
    Task PauseTaskTypeAsync(string taskType, DateTimeOffset until, string reason, string runnerId, CancellationToken cancellationToken);
}
