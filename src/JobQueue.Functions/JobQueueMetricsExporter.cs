using System.Diagnostics.Metrics;
using JobQueue.Runner;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Hosting;

namespace JobQueue.Functions;

/// <summary>
/// Exports the library's meter (<see cref="JobQueueMetrics.MeterName"/>) to Application Insights
/// customMetrics: every counter and histogram measurement goes to a pre-aggregated metric of the
/// same name (dimensions task_type and outcome), the observable gauges (queue depth, oldest pending
/// age) are read once a minute. The oldest-pending alert reads jobqueue.queue.oldest_pending_age.
/// </summary>
public sealed class JobQueueMetricsExporter(TelemetryClient telemetry, TimeProvider time) : IHostedService, IDisposable
{
    private static readonly TimeSpan GaugeInterval = TimeSpan.FromMinutes(1);
    private const string None = "none";

    private readonly MeterListener listener = new();
    private ITimer? gaugeTimer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobQueueMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Track(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Track(instrument, value, tags));
        listener.Start();
        gaugeTimer = time.CreateTimer(_ => listener.RecordObservableInstruments(), null, GaugeInterval, GaugeInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        gaugeTimer?.Dispose();
        listener.RecordObservableInstruments();
        telemetry.Flush();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        gaugeTimer?.Dispose();
        listener.Dispose();
    }

    private void Track(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            telemetry.GetMetric(instrument.Name).TrackValue(value);
            return;
        }

        string taskType = None, outcome = None;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "task_type": taskType = tag.Value as string ?? None; break;
                case "outcome": outcome = tag.Value as string ?? None; break;
            }
        }

        telemetry.GetMetric(instrument.Name, "task_type", "outcome").TrackValue(value, taskType, outcome);
    }
}
