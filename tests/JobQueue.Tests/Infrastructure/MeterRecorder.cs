using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using JobQueue.Runner;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// The measurements of one service provider's <c>JobQueue</c> meter, as a MeterListener (and so the
/// exporter) sees them; other tests run their own providers in parallel.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> all = new();

    public MeterRecorder(IMeterFactory scope, JobQueueMetrics metrics)
    {
        GC.KeepAlive(metrics); // the instruments exist once the metrics object does
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobQueueMetrics.MeterName && instrument.Meter.Scope == scope)
            {
                Published.Add(instrument.Name);
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();
    }

    /// <summary>The names of the meter's instruments, measured or not.</summary>
    public ConcurrentBag<string> Published { get; } = [];

    public void Observe() => listener.RecordObservableInstruments();

    /// <summary>Every instrument that measured something, with the tag keys it used.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> TagKeysByInstrument() =>
        all.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.SelectMany(m => m.Tags.Keys).ToHashSet());

    public IEnumerable<double> Values(string name) => all.Where(m => m.Name == name).Select(m => m.Value);

    public double Sum(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Sum(m => m.Value);

    public int Count(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Count();

    public void Dispose() => listener.Dispose();

    private IEnumerable<(string Name, double Value, Dictionary<string, object?> Tags)> Matching(string name, (string Key, string Value)[] tags) =>
        all.Where(m => m.Name == name && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && (string?)v == t.Value));

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        all.Enqueue((instrument.Name, value, copy));
    }
}
