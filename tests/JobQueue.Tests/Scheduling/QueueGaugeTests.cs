using System.Diagnostics.Metrics;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Scheduling;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Scheduling;

/// <summary>
/// The queue gauges behind the "oldest pending job too old" alert are fresh after every scheduled
/// runner pass, even when processing is paused and nobody calls the health endpoint.
/// </summary>
public sealed class QueueGaugeTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Runner_schedule_tick_samples_queue_depth_and_oldest_pending_age()
    {
        await using var services = db.BuildServices();
        var store = services.GetRequiredService<JobQueueStore>();
        await services.GetRequiredService<QueueSettingsStore>().SetSettingsAsync(false, "gauge test", "test");
        await store.EnqueueAsync(new EnqueueRequest("job_queue_cleanup", RunAt: DateTimeOffset.UtcNow.AddMinutes(-10)));
        await store.EnqueueAsync(new EnqueueRequest("job_queue_cleanup", RunAt: DateTimeOffset.UtcNow.AddMinutes(-1)));
        await store.EnqueueAsync(new EnqueueRequest("job_queue_cleanup", RunAt: DateTimeOffset.UtcNow.AddHours(1)));

        using var gauges = new MeterRecorder(services.GetRequiredService<IMeterFactory>(), services.GetRequiredService<JobQueueMetrics>());
        gauges.Observe();
        Assert.Empty(gauges.Values("jobqueue.queue.depth")); // nothing sampled yet: nothing reported

        await services.GetRequiredService<ScheduleRunner>().RunAsync(Schedules.Runner.Name, isPastDue: false, CancellationToken.None);
        gauges.Observe();

        Assert.Equal([2.0], gauges.Values("jobqueue.queue.depth"));
        Assert.InRange(Assert.Single(gauges.Values("jobqueue.queue.oldest_pending_age")), 9 * 60, 60 * 60);
    }
}
