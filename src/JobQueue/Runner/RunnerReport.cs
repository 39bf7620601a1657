using System.Text.Json.Serialization;
using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>
/// What one runner pass did, in the shape the existing callers read:
/// <c>{"status":"ok","processed":3,"succeeded":2,"failed":1,"results":[...]}</c>.
/// <c>failed</c> counts attempts that did not succeed (<c>retried</c> of them will run again).
/// A draining pass adds <c>drained</c> (the queue had no due job left when it stopped claiming) and,
/// when it ran more jobs than it lists, <c>resultsOmitted</c>; a single pass has neither.
/// </summary>
public sealed record RunnerReport(
    string Status,
    int Processed,
    int Succeeded,
    int Failed,
    int Retried,
    IReadOnlyList<RunnerJobResult> Results,
    string? PausedReason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Drained = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ResultsOmitted = null)
{
    public static RunnerReport Paused(string? reason) => new("paused", 0, 0, 0, 0, [], reason);
}

/// <summary>One job of a pass: its status after the attempt (succeeded, pending for a retry, failed).</summary>
public sealed record RunnerJobResult(
    Guid Id,
    string TaskType,
    string Status,
    int Attempts,
    long DurationMs,
    string? LastError);

/// <summary>
/// A pass request: <see cref="Limit"/> null takes the default; <see cref="Force"/> skips the session's
/// once-a-second re-read of the pause switch (a pause holds all the same: the claim refuses to start
/// anything while processing is paused, and a pass that starts paused reports <c>paused</c>);
/// <see cref="Drain"/> runs passes back to back until no due job is left or the time budget is spent
/// (no limit: it may not be combined with one).
/// </summary>
public sealed record RunPassRequest(int? Limit = null, bool Force = false, bool Drain = false);

/// <summary>Counts a pass's attempts and keeps the first <c>keep</c> of their results for its report.</summary>
internal sealed class PassTally(int keep)
{
    private readonly List<RunnerJobResult> results = [];

    public int Processed { get; private set; }

    public void Add(RunnerJobResult result)
    {
        Processed++;
        Succeeded += result.Status == JobStatus.Succeeded ? 1 : 0;
        Retried += result.Status == JobStatus.Pending ? 1 : 0;
        if (results.Count < keep)
        {
            results.Add(result);
        }
    }

    public int Succeeded { get; private set; }

    public int Retried { get; private set; }

    /// <summary>The report; <paramref name="drained"/> only for a draining pass.</summary>
    public RunnerReport Report(bool? drained) =>
        new("ok", Processed, Succeeded, Processed - Succeeded, Retried, results, null, drained,
            drained is null || Processed <= results.Count ? null : Processed - results.Count);
}
