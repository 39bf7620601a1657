using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>Runs one attempt of one job (<see cref="JobExecutor"/>); knows nothing of slots, batches or the loop.</summary>
internal interface IJobExecutor
{
    /// <summary>Runs the job's handler until it returns or <paramref name="cancellation"/> fires; every outcome of the handler is a result (it throws only when the runner itself fails: the job is then given back).</summary>
    Task<AttemptResult> RunAsync(Job job, string runnerId, AttemptCancellation cancellation);

    /// <summary>A job the host's shutdown cut off: back to pending at once, its attempt given back, the attempt row saying why.</summary>
    AttemptResult GiveBack(Job job, string runnerId, TimeSpan ran, string detail);
}
