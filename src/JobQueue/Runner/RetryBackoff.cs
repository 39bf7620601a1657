using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>
/// The wait before a failed attempt's retry: exponential in the attempt number, capped, with
/// "equal jitter" (a random point in the upper half) so that failed jobs do not retry in lockstep.
/// </summary>
public sealed class RetryBackoff(IOptions<RunnerOptions> options)
{
    public TimeSpan For(int attempt) => For(attempt, Random.Shared.NextDouble());

    /// <summary>
    /// The delay for <paramref name="attempt"/>, at least <paramref name="notBefore"/> (a server's
    /// <c>Retry-After</c>) capped by <see cref="RetryBackoffOptions.MaxSeconds"/>.
    /// </summary>
    public TimeSpan For(int attempt, TimeSpan? notBefore)
    {
        var delay = For(attempt);
        if (notBefore is not { } wait)
        {
            return delay;
        }

        var cap = TimeSpan.FromSeconds(Math.Max(0, options.Value.Backoff.MaxSeconds));
        return wait > delay ? (wait < cap ? wait : cap) : delay;
    }

    /// <summary>The delay for <paramref name="attempt"/> (1-based) at jitter point <paramref name="unit"/> in [0, 1).</summary>
    public TimeSpan For(int attempt, double unit)
    {
        var o = options.Value.Backoff;
        var ceiling = Ceiling(o, attempt);
        return TimeSpan.FromSeconds(ceiling / 2 + (ceiling / 2 * unit));
    }

    /// <summary>The largest delay attempt <paramref name="attempt"/> can get.</summary>
    public TimeSpan MaxFor(int attempt) => TimeSpan.FromSeconds(Ceiling(options.Value.Backoff, attempt));

    private static double Ceiling(RetryBackoffOptions o, int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        return Math.Min(o.MaxSeconds, o.BaseSeconds * Math.Pow(2, exponent));
    }
}
