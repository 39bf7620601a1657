using System.Collections.Concurrent;
using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Runner;

namespace JobQueue.Tests.Runner.Units;

/// <summary>
/// The runner's database calls in memory, for unit tests of the producer, executor and completer: due
/// jobs in a list, the jobs this runner holds, and every call in the order it came
/// (<see cref="Calls"/>: "claim 5", "complete 3", "extend 1", "settings", "pause t"). A completion
/// succeeds as <c>job_queue_complete</c> would: succeeded, pending (a retry or a snooze) or failed.
/// </summary>
internal sealed class InMemoryRunnerStore : IRunnerStore
{
    private readonly object gate = new();
    private readonly List<Job> due = [];
    private readonly HashSet<Guid> held = [];

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Every batch of completions, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<JobCompletion>> Completed { get; } = new();

    public bool ProcessingEnabled { get; set; } = true;

    /// <summary>The next this many completes throw (the database is unavailable).</summary>
    public int FailingCompletes { get; set; }

    public static Job NewJob(string taskType, int attempts = 1, int maxAttempts = 3, DateTimeOffset? createdAt = null)
    {
        var at = createdAt ?? DateTimeOffset.UnixEpoch;
        return new Job(Guid.NewGuid(), taskType, JsonDocument.Parse("{}").RootElement, JobStatus.Processing, at, attempts, maxAttempts,
            null, null, null, null, null, null, null, at, at, at, null);
    }

    public Job Add(string taskType)
    {
        var job = NewJob(taskType);
        lock (gate)
        {
            due.Add(job);
        }

        return job;
    }

    /// <summary>Another runner took the job over (its lease ran out).</summary>
    public void TakeOver(Guid id)
    {
        lock (gate)
        {
            held.Remove(id);
        }
    }

    public IReadOnlyList<string> CallList => [.. Calls];

    public Task<QueueSettings> GetSettingsAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("settings");
        return Task.FromResult(new QueueSettings(ProcessingEnabled, ProcessingEnabled ? null : "test", null, DateTimeOffset.UnixEpoch));
    }

    public Task<IReadOnlyList<Job>> ClaimAsync(int limit, TimeSpan lease, string runnerId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"claim {limit}");
        lock (gate)
        {
            var jobs = ProcessingEnabled ? due.Take(limit).ToList() : [];
            due.RemoveRange(0, jobs.Count);
            held.UnionWith(jobs.Select(j => j.Id));
            return Task.FromResult<IReadOnlyList<Job>>(jobs);
        }
    }

    public Task<IReadOnlyList<CompletedJob>> CompleteAsync(string runnerId, IReadOnlyCollection<JobCompletion> completions, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"complete {completions.Count}");
        if (FailingCompletes > 0)
        {
            FailingCompletes--;
            throw new TimeoutException("the database is unavailable");
        }

        Completed.Enqueue([.. completions]);
        lock (gate)
        {
            var done = completions.Where(c => held.Remove(c.Id)).Select(c => new CompletedJob(
                c.Id,
                c.Succeeded ? JobStatus.Succeeded : c.RetryIn is not null ? JobStatus.Pending : JobStatus.Failed,
                1,
                c.Error)).ToList();
            return Task.FromResult<IReadOnlyList<CompletedJob>>(done);
        }
    }

    public Task<IReadOnlySet<Guid>> ExtendLeasesAsync(string runnerId, IReadOnlyCollection<Guid> ids, TimeSpan lease, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"extend {ids.Count}");
        lock (gate)
        {
            return Task.FromResult<IReadOnlySet<Guid>>(ids.Where(held.Contains).ToHashSet());
        }
    }

    public Task PauseTaskTypeAsync(string taskType, DateTimeOffset until, string reason, string runnerId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"pause {taskType}");
        return Task.CompletedTask;
    }
}
