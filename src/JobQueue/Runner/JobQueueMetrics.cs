using System.Diagnostics.Metrics;
using JobQueue.Telemetry;

namespace JobQueue.Runner;

/// <summary>
/// The queue's <see cref="System.Diagnostics.Metrics"/> instruments (meter <c>JobQueue</c>):
/// claimed, succeeded (of which partial), retried, failed, snoozed and lease-lost counters and the attempt duration (tags
/// <c>task_type</c>, <c>outcome</c>), runner passes (tag <c>status</c>), and gauges for queue depth
/// and the oldest due pending job's age. The gauges report the last sample (after every scheduled
/// runner pass, and every health read) only while it is fresh: an instance that stopped sampling
/// reports nothing, so that an alert on the age sees its data stop instead of a stale value.
/// </summary>
public sealed class JobQueueMetrics
{
    public const string MeterName = JobQueueTelemetry.Name;

    /// <summary>How long a queue sample is reported (the runner timer samples every minute).</summary>
    public static readonly TimeSpan SampleLifetime = TimeSpan.FromMinutes(3);

    private readonly TimeProvider time;
    private readonly Counter<long> claimed;
    private readonly Counter<long> succeeded;
    private readonly Counter<long> retried;
    private readonly Counter<long> failed;
    private readonly Counter<long> leaseLost;
    private readonly Counter<long> passes;
    private readonly Counter<long> snoozed;
    private readonly Counter<long> partial;
    private readonly Histogram<double> duration;
    private QueueSample? lastSample;

    public JobQueueMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        this.time = time;
        var meter = meterFactory.Create(MeterName, "1.0");
        claimed = meter.CreateCounter<long>("jobqueue.jobs.claimed", "{job}", "Jobs claimed by runners");
        succeeded = meter.CreateCounter<long>("jobqueue.jobs.succeeded", "{job}", "Attempts that succeeded");
        retried = meter.CreateCounter<long>("jobqueue.jobs.retried", "{job}", "Failed attempts scheduled for a retry");
        failed = meter.CreateCounter<long>("jobqueue.jobs.failed", "{job}", "Jobs that failed for good");
        leaseLost = meter.CreateCounter<long>("jobqueue.jobs.lease_lost", "{job}", "Attempts whose result was discarded because the lease was taken over");
        passes = meter.CreateCounter<long>("jobqueue.runner.passes", "{pass}", "Runner passes, by how they ended (ok, paused, out_of_time)");
        snoozed = meter.CreateCounter<long>("jobqueue.jobs.snoozed", "{job}", "Attempts given back: the job runs again later without using up an attempt");
        partial = meter.CreateCounter<long>("jobqueue.jobs.partial", "{job}",
            "Jobs that succeeded with part of their work failed (outcome partial, named in their last error); also counted as succeeded");
        duration = meter.CreateHistogram<double>("jobqueue.job.duration", "ms", "Attempt duration");
        meter.CreateObservableGauge(
            "jobqueue.queue.depth",
            IEnumerable<Measurement<long>> () => FreshSample() is { } s ? [new(s.DuePending)] : [],
            "{job}", "Due pending jobs at the last queue sample");
        meter.CreateObservableGauge(
            "jobqueue.queue.oldest_pending_age",
            IEnumerable<Measurement<double>> () => FreshSample() is { } s ? [new(s.OldestPendingAgeSeconds)] : [],
            "s", "Age of the oldest due pending job at the last queue sample");
    }

    public void Claimed(int count) => claimed.Add(count);

    public void Finished(string taskType, string outcome, double durationMs)
    {
        var tag = new KeyValuePair<string, object?>("task_type", taskType);
        duration.Record(durationMs, tag, new KeyValuePair<string, object?>("outcome", outcome));
        switch (outcome)
        {
            case AttemptOutcome.Succeeded: succeeded.Add(1, tag); break;
            case AttemptOutcome.Retry: retried.Add(1, tag); break;
            case AttemptOutcome.Failed: failed.Add(1, tag); break;
            case AttemptOutcome.Snoozed: snoozed.Add(1, tag); break;
            default: leaseLost.Add(1, tag); break;
        }
    }

    /// <summary>A job succeeded partially (<see cref="PartialJobResult"/>).</summary>
    public void Partial(string taskType) => partial.Add(1, new KeyValuePair<string, object?>("task_type", taskType));

    /// <summary>A runner pass ended with <paramref name="status"/> (<see cref="RunnerPassStatus"/>).</summary>
    public void Pass(string status) => passes.Add(1, new KeyValuePair<string, object?>("status", status));

    public void SampledQueue(long duePending, double oldestPendingAge) =>
        Volatile.Write(ref lastSample, new QueueSample(duePending, oldestPendingAge, time.GetUtcNow()));

    /// <summary>How old the last queue sample is; null before the first.</summary>
    public TimeSpan? SampleAge => Volatile.Read(ref lastSample) is { } s ? time.GetUtcNow() - s.SampledAt : null;

    private QueueSample? FreshSample() =>
        Volatile.Read(ref lastSample) is { } s && time.GetUtcNow() - s.SampledAt <= SampleLifetime ? s : null;

    private sealed record QueueSample(long DuePending, double OldestPendingAgeSeconds, DateTimeOffset SampledAt);
}

/// <summary>How an attempt ended, as logged and counted.</summary>
public static class AttemptOutcome
{
    public const string Succeeded = "succeeded";
    public const string Retry = "retry";
    public const string Failed = "failed";
    public const string LeaseLost = "lease_lost";
    public const string Snoozed = "snoozed";

    /// <summary>Traces only: the attempt ran but its result could not be written (database unreachable); the lease brings the job back.</summary>
    public const string Unrecorded = "unrecorded";
}

/// <summary>How a runner pass ended (tag <c>status</c> of <c>jobqueue.runner.passes</c>).</summary>
public static class RunnerPassStatus
{
    public const string Ok = "ok";
    public const string Paused = "paused";
    public const string OutOfTime = "out_of_time";
}
