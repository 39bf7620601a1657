using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>
/// The wait before a failed attempt's retry (<see cref="RunnerOptions.Backoff"/>): exponential in the
/// attempt number, capped, with "equal jitter" (a random point in the upper half) so that failed jobs
/// do not retry in lockstep. The schedule itself is <see cref="ExponentialBackoff"/>.
/// </summary>
public sealed class RetryBackoff(IOptions<RunnerOptions> options)
{
    public TimeSpan For(int attempt) => Schedule().After(attempt);

    /// <summary>
    /// The delay for <paramref name="attempt"/>, at least <paramref name="notBefore"/> (a server's
    /// <c>Retry-After</c>) capped by <see cref="RetryBackoffOptions.MaxSeconds"/>.
    /// </summary>
    public TimeSpan For(int attempt, TimeSpan? notBefore)
    {
        var schedule = Schedule();
        var delay = schedule.After(attempt);
        if (notBefore is not { } wait)
        {
            return delay;
        }

        var cap = schedule.Max > TimeSpan.Zero ? schedule.Max : TimeSpan.Zero;
        return wait > delay ? (wait < cap ? wait : cap) : delay;
    }

    /// <summary>The delay for <paramref name="attempt"/> (1-based) at jitter point <paramref name="unit"/> in [0, 1).</summary>
    public TimeSpan For(int attempt, double unit) => Schedule().After(attempt, unit);

    /// <summary>The largest delay attempt <paramref name="attempt"/> can get.</summary>
    public TimeSpan MaxFor(int attempt) => Schedule().Ceiling(attempt);

    // read each time: the options may be reloaded
    private ExponentialBackoff Schedule()
    {
        var o = options.Value.Backoff;
        return new ExponentialBackoff(TimeSpan.FromSeconds(o.BaseSeconds), TimeSpan.FromSeconds(o.MaxSeconds), 0.5, 1.0);
    }
}
