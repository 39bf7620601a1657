using System.Diagnostics.Metrics;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace JobQueue.Tests.Telemetry;

/// <summary>
/// The meter "JobQueue" as a MeterListener sees it (what the Azure Monitor exporter exports): attempt
/// counters and durations by task type and outcome, runner passes by status, and queue gauges that
/// report only a fresh sample.
/// </summary>
public sealed class JobQueueMetricsTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Runner_passes_count_attempts_by_task_type_and_outcome_and_passes_by_status()
    {
        await using var h = new RunnerHarness(db,
        [
            new DelegateHandler("metric_ok", (_, _, _) => Task.FromResult<object?>(null)),
            new DelegateHandler("metric_boom", (_, _, _) => throw new InvalidOperationException("no")),
        ]);
        using var recorded = new MeterRecorder(h.Get<IMeterFactory>(), h.Get<JobQueueMetrics>());
        await h.Store.EnqueueAsync(new EnqueueRequest("metric_ok"));
        await h.Store.EnqueueAsync(new EnqueueRequest("metric_ok"));
        await h.Store.EnqueueAsync(new EnqueueRequest("metric_boom", MaxAttempts: 2));

        await h.PassAsync();
        await h.PassAsync();
        await h.Settings.SetSettingsAsync(false, "metrics test", "test");
        await h.PassAsync();

        Assert.Equal(4, recorded.Sum("jobqueue.jobs.claimed")); // metric_boom twice
        Assert.Equal(2, recorded.Sum("jobqueue.jobs.succeeded", ("task_type", "metric_ok")));
        Assert.Equal(1, recorded.Sum("jobqueue.jobs.retried", ("task_type", "metric_boom")));
        Assert.Equal(1, recorded.Sum("jobqueue.jobs.failed", ("task_type", "metric_boom")));
        Assert.Equal(0, recorded.Sum("jobqueue.jobs.failed", ("task_type", "metric_ok")));
        Assert.Equal(2, recorded.Count("jobqueue.job.duration", ("task_type", "metric_ok"), ("outcome", "succeeded")));
        Assert.Equal(1, recorded.Count("jobqueue.job.duration", ("task_type", "metric_boom"), ("outcome", "failed")));
        Assert.Equal(2, recorded.Sum("jobqueue.runner.passes", ("status", RunnerPassStatus.Ok)));
        Assert.Equal(1, recorded.Sum("jobqueue.runner.passes", ("status", RunnerPassStatus.Paused)));
    }

    [Fact]
    public void Queue_gauges_report_the_last_sample_only_while_it_is_fresh()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = provider.GetRequiredService<IMeterFactory>();
        var metrics = new JobQueueMetrics(meterFactory, clock);
        using var recorded = new MeterRecorder(meterFactory, metrics);

        recorded.Observe();
        Assert.Empty(recorded.Values("jobqueue.queue.oldest_pending_age")); // never sampled: nothing, not a zero

        metrics.SampledQueue(7, 120.5);
        clock.Advance(JobQueueMetrics.SampleLifetime);
        recorded.Observe();
        Assert.Equal([120.5], recorded.Values("jobqueue.queue.oldest_pending_age"));
        Assert.Equal([7.0], recorded.Values("jobqueue.queue.depth"));

        clock.Advance(TimeSpan.FromSeconds(1));
        recorded.Observe();
        Assert.Equal([120.5], recorded.Values("jobqueue.queue.oldest_pending_age")); // the stale sample was not reported again
        Assert.Equal([7.0], recorded.Values("jobqueue.queue.depth"));
    }
}
