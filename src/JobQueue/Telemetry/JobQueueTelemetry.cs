using System.Diagnostics;

namespace JobQueue.Telemetry;

/// <summary>
/// The library's telemetry sources, both named <see cref="Name"/>: the <see cref="ActivitySource"/> of
/// the job attempts' traces (<see cref="JobAttemptActivity"/>) and the meter of
/// <see cref="Runner.JobQueueMetrics"/>. A host exports them by name (see
/// <see cref="JobQueueOpenTelemetryExtensions"/>); without a listener they cost next to nothing.
/// </summary>
public static class JobQueueTelemetry
{
    public const string Name = "JobQueue";

    internal static readonly ActivitySource Source = new(Name, "1.0");
}
