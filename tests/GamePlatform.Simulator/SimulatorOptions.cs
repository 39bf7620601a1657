namespace GamePlatform.Simulator;

/// <summary>Settings section <c>Simulator</c> (command line: <c>--Simulator:ApiKey=...</c>).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The API key clients must send in <c>X-Api-Key</c>.</summary>
    public string ApiKey { get; set; } = "local-dev-key";

    /// <summary>Seed of the generated data: the same seed gives the same competitors and activity.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Coaches <c>coach-1</c> .. <c>coach-N</c>.</summary>
    public int Coaches { get; set; } = 2;

    /// <summary>Competitors per coach: coach-c's are <c>gp-user-c01</c> .. (see <see cref="SimulatorData.UserId"/>).</summary>
    public int CompetitorsPerCoach { get; set; } = 3;

    /// <summary>Seeded activity items per competitor.</summary>
    public int ActivitiesPerCompetitor { get; set; } = 5;

    /// <summary>Time of the first seeded activity (unix seconds; default 2026-01-01T00:00:00Z).</summary>
    public long StartUnix { get; set; } = 1767225600;

    /// <summary>The largest page the activity endpoint returns, whatever the client asks.</summary>
    public int MaxPageSize { get; set; } = 50;

    /// <summary>Faults active from the start (usually set at run time through <c>POST /_sim/faults</c>).</summary>
    public SimulatorFaults Faults { get; set; } = new();
}

/// <summary>
/// Failure switches, applied to the API routes (<c>/v1/...</c>) in this order: latency, down,
/// 429s, 5xx, timeouts. Counts are consumed one per request.
/// </summary>
public sealed class SimulatorFaults
{
    /// <summary>Delay added to every API response.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Every API request answers 503 (the API is down) until switched off.</summary>
    public bool Down { get; set; }

    /// <summary>The next N API requests answer 429 with <c>Retry-After: RetryAfterSeconds</c>.</summary>
    public int Fail429 { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The next N API requests answer <see cref="Status5xx"/>.</summary>
    public int Fail5xx { get; set; }

    public int Status5xx { get; set; } = 503;

    /// <summary>The next N API requests hang for <see cref="HangMs"/> (then answer 504), so clients time out.</summary>
    public int Timeouts { get; set; }

    public int HangMs { get; set; } = 30000;

    /// <summary>Apply the faults only to <c>activity</c> or <c>totals</c> requests (default: both).</summary>
    public string? Only { get; set; }

    public SimulatorFaults Copy() => (SimulatorFaults)MemberwiseClone();
}
