using System.Text.Json;

namespace JobQueue.Scheduling;

/// <summary>
/// Implemented by a handler whose standing schedule depends on its configuration: the schedule's tick
/// enqueues <see cref="StandingPayload"/>, or does nothing while <see cref="StandingSkipReason"/> says why.
/// </summary>
public interface IStandingJobSource
{
    /// <summary>Null when the standing job is enqueued; else why the tick does nothing (logged).</summary>
    string? StandingSkipReason { get; }

    JsonElement StandingPayload { get; }
}
