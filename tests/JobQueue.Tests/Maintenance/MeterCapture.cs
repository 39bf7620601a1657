using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Maintenance;

/// <summary>
/// Every measurement of one service provider's JobQueue meter (other tests run their own in parallel):
/// counters summed by instrument and task type, gauges as last observed.
/// </summary>
public sealed class MeterCapture : IDisposable
{
    private readonly MeterListener listener = new();

    public MeterCapture(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IMeterFactory>();
        _ = services.GetRequiredService<JobQueueMetrics>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobQueueMetrics.MeterName && instrument.Meter.Scope == scope)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>Sum of the counter (or last gauge value) per "instrument" and "instrument/task_type".</summary>
    public ConcurrentDictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    public double Get(string key) => Values.TryGetValue(key, out var v) ? v : 0;

    /// <summary>Reads the observable gauges now.</summary>
    public void Observe() => listener.RecordObservableInstruments();

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument is ObservableGauge<long> or ObservableGauge<double>)
        {
            Values[instrument.Name] = value;
            return;
        }

        Values.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        foreach (var tag in tags)
        {
            if (tag.Key == "task_type")
            {
                Values.AddOrUpdate($"{instrument.Name}/{tag.Value}", value, (_, sum) => sum + value);
            }
        }
    }
}
