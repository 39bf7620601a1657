using JobQueue.Runner;

namespace JobQueue.Database;

/// <summary>
/// How long a background loop waits after its <c>n</c>-th failure in a row while the database is
/// unavailable: 1, 2, 4, 8, 16, then 30 s, each with ±20% jitter so that the instances of a fleet do
/// not retry in lockstep (<see cref="Schedule"/>, an <see cref="ExponentialBackoff"/>). Loops log at
/// most one line per failure, so at most one a retry interval.
/// </summary>
public static class OutageBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    public static readonly ExponentialBackoff Schedule = new(First, Max, 0.8, 1.2);

    public static TimeSpan After(int failures) => Schedule.After(failures);

    /// <summary>The delay after <paramref name="failures"/> (1-based) at jitter point <paramref name="unit"/> in [0, 1).</summary>
    public static TimeSpan After(int failures, double unit) => Schedule.After(failures, unit);
}
