using System.Diagnostics.Metrics;

namespace JobQueue.Runner;

/// <summary>
/// The queue's <see cref="System.Diagnostics.Metrics"/> instruments (meter <c>JobQueue</c>):
/// claimed, succeeded, retried and failed counters, attempt duration, and gauges for queue
/// depth and the oldest pending job's age (sampled by the health check).
/// </summary>
public sealed class JobQueueMetrics
{
    public const string MeterName = "JobQueue";

    private readonly Counter<long> claimed;
    private readonly Counter<long> succeeded;
    private readonly Counter<long> retried;
    private readonly Counter<long> failed;
    private readonly Counter<long> leaseLost;
    private readonly Counter<long> snoozed;
    private readonly Histogram<double> duration;
    private long queueDepth;
    private double oldestPendingAgeSeconds;

    public JobQueueMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName, "1.0");
        claimed = meter.CreateCounter<long>("jobqueue.jobs.claimed", "{job}", "Jobs claimed by runners");
        succeeded = meter.CreateCounter<long>("jobqueue.jobs.succeeded", "{job}", "Attempts that succeeded");
        retried = meter.CreateCounter<long>("jobqueue.jobs.retried", "{job}", "Failed attempts scheduled for a retry");
        failed = meter.CreateCounter<long>("jobqueue.jobs.failed", "{job}", "Jobs that failed for good");
        leaseLost = meter.CreateCounter<long>("jobqueue.jobs.lease_lost", "{job}", "Attempts whose result was discarded because the lease was taken over");
        snoozed = meter.CreateCounter<long>("jobqueue.jobs.snoozed", "{job}", "Attempts given back: the job runs again later without using up an attempt");
        duration = meter.CreateHistogram<double>("jobqueue.job.duration", "ms", "Attempt duration");
        meter.CreateObservableGauge("jobqueue.queue.depth", () => Volatile.Read(ref queueDepth), "{job}", "Due pending jobs at the last health sample");
        meter.CreateObservableGauge("jobqueue.queue.oldest_pending_age", () => Volatile.Read(ref oldestPendingAgeSeconds), "s", "Age of the oldest due pending job at the last health sample");
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

    public void SampledQueue(long duePending, double oldestPendingAge)
    {
        Volatile.Write(ref queueDepth, duePending);
        Volatile.Write(ref oldestPendingAgeSeconds, oldestPendingAge);
    }
}

/// <summary>How an attempt ended, as logged and counted.</summary>
public static class AttemptOutcome
{
    public const string Succeeded = "succeeded";
    public const string Retry = "retry";
    public const string Failed = "failed";
    public const string LeaseLost = "lease_lost";
    public const string Snoozed = "snoozed";
}
