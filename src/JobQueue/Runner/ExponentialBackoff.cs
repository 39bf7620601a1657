using Polly.Retry;

namespace JobQueue.Runner;

/// <summary>
/// The one retry-delay schedule of the engine: the n-th wait (1-based) is <see cref="First"/> doubled
/// n-1 times, capped at <see cref="Max"/> (its ceiling), then jittered to a random point between
/// <see cref="JitterLow"/> and <see cref="JitterHigh"/> times the ceiling so that a fleet does not retry
/// in lockstep. Job retries use "equal jitter" (<see cref="RetryBackoff"/>: half to all of the ceiling),
/// outage waits ±20% (<see cref="Database.OutageBackoff"/>: the runner loop, the session's database
/// retries, the maintainer, the database start-up). Where Polly runs the retries (the database
/// start-up), <see cref="DelayGenerator{TResult}"/> hands this schedule to its retry strategy: Polly v8's
/// own delay arithmetic is internal and its exponential jitter (decorrelated) has no fixed bounds, so
/// it cannot give the documented ranges above.
/// </summary>
public sealed record ExponentialBackoff(TimeSpan First, TimeSpan Max, double JitterLow, double JitterHigh)
{
    /// <summary>The largest wait after <paramref name="n"/> (1-based) failures: the capped exponential.</summary>
    public TimeSpan Ceiling(int n)
    {
        var seconds = Math.Min(Max.TotalSeconds, First.TotalSeconds * Math.Pow(2, Math.Clamp(n - 1, 0, 30)));
        return TimeSpan.FromSeconds(Math.Max(0, seconds));
    }

    /// <summary>The wait after <paramref name="n"/> failures, at a random jitter point.</summary>
    public TimeSpan After(int n) => After(n, Random.Shared.NextDouble());

    /// <summary>The wait after <paramref name="n"/> failures at jitter point <paramref name="unit"/> in [0, 1].</summary>
    public TimeSpan After(int n, double unit)
    {
        var ceiling = Ceiling(n).TotalSeconds;
        return TimeSpan.FromSeconds(ceiling * (JitterLow + ((JitterHigh - JitterLow) * unit)));
    }

    /// <summary>For Polly's <see cref="RetryStrategyOptions{TResult}.DelayGenerator"/>: the wait before its retry number <c>AttemptNumber + 1</c>.</summary>
    public Func<RetryDelayGeneratorArguments<TResult>, ValueTask<TimeSpan?>> DelayGenerator<TResult>() =>
        args => ValueTask.FromResult<TimeSpan?>(After(args.AttemptNumber + 1));
}
