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
        await store.SetSettingsAsync(false, "gauge test", "test");
        await store.EnqueueAsync(new EnqueueRequest("job_queue_cleanup", RunAt: DateTimeOffset.UtcNow.AddMinutes(-10)));
        await store.EnqueueAsync(new EnqueueRequest("job_queue_cleanup", RunAt: DateTimeOffset.UtcNow.AddMinutes(-1)));
        await store.EnqueueAsync(new EnqueueRequest("job_queue_cleanup", RunAt: DateTimeOffset.UtcNow.AddHours(1)));

        var gauges = ObserveGauges(services, out var listener);
        using (listener)
        {
            listener.RecordObservableInstruments();
            Assert.Equal(0, gauges["jobqueue.queue.depth"]);

            await services.GetRequiredService<ScheduleRunner>().RunAsync(Schedules.Runner.Name, isPastDue: false, CancellationToken.None);
            listener.RecordObservableInstruments();
        }

        Assert.Equal(2, gauges["jobqueue.queue.depth"]);
        Assert.InRange(gauges["jobqueue.queue.oldest_pending_age"], 9 * 60, 60 * 60);
    }

    /// <summary>The queue gauges of this provider's meter only (other tests run their own in parallel).</summary>
    private static Dictionary<string, double> ObserveGauges(IServiceProvider services, out MeterListener listener)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        _ = services.GetRequiredService<JobQueueMetrics>();
        var values = new Dictionary<string, double>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == JobQueueMetrics.MeterName && instrument.Meter.Scope == scope
                    && instrument.Name.StartsWith("jobqueue.queue.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        return values;
    }
}
