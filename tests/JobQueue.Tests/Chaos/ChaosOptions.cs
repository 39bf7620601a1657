using System.Globalization;

namespace JobQueue.Tests.Chaos;

/// <summary>
/// The size of a chaos run. CI runs the small default (a couple of minutes); <c>infra/local/chaos.sh</c>
/// sets <c>JOBQUEUE_CHAOS_SIZE=full</c> (3 processes, 20,000 jobs, 14 kills, 2 PostgreSQL restarts, 2
/// freezes). Each value can also be set alone: JOBQUEUE_CHAOS_PROCESSES, _JOBS, _KILLS, _RESTARTS,
/// _FREEZES, _MIN_MS, _MAX_MS, _LEASE_SECONDS.
/// </summary>
public sealed record ChaosOptions(int Processes, int Jobs, int Kills, int Restarts, int Freezes, int MinMs, int MaxMs, int LeaseSeconds)
{
    /// <summary>The runner's time budget: the lease is max(LeaseSeconds, budget + 5 s).</summary>
    public const int TimeBudgetSeconds = 3;

    public static ChaosOptions Small { get; } = new(3, 1_500, 3, 1, 1, 100, 300, 8);

    public static ChaosOptions Full { get; } = new(3, 20_000, 14, 2, 2, 20, 120, 8);

    /// <summary>The lease a claim takes (JobRunner: at least the time budget plus 5 s).</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(LeaseSeconds, TimeBudgetSeconds + 5));

    public static ChaosOptions FromEnvironment()
    {
        var o = Environment.GetEnvironmentVariable("JOBQUEUE_CHAOS_SIZE") is "full" ? Full : Small;
        return new ChaosOptions(
            Int("PROCESSES", o.Processes), Int("JOBS", o.Jobs), Int("KILLS", o.Kills), Int("RESTARTS", o.Restarts),
            Int("FREEZES", o.Freezes), Int("MIN_MS", o.MinMs), Int("MAX_MS", o.MaxMs), Int("LEASE_SECONDS", o.LeaseSeconds));
    }

    private static int Int(string name, int fallback) =>
        Environment.GetEnvironmentVariable("JOBQUEUE_CHAOS_" + name) is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
