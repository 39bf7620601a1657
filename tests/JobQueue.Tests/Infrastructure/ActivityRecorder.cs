using System.Collections.Concurrent;
using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// An <see cref="ActivityListener"/> that samples every activity of the given sources and keeps the
/// stopped ones. Listeners are process-wide: tests running in parallel add theirs, so filter by job id.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener listener;

    public ActivityRecorder(params string[] sources)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    public void Dispose() => listener.Dispose();
}
