using JobQueue.Runner;
using Microsoft.Extensions.Options;

namespace JobQueue.Tests.Runner;

public sealed class BackoffTests
{
    private static RetryBackoff Backoff(double baseSeconds, double maxSeconds) =>
        new(Options.Create(new RunnerOptions { Backoff = new RetryBackoffOptions { BaseSeconds = baseSeconds, MaxSeconds = maxSeconds } }));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(6, 320)]
    [InlineData(7, 600)]
    [InlineData(50, 600)]
    public void Each_attempt_waits_between_half_and_all_of_its_capped_exponential_ceiling(int attempt, double ceiling)
    {
        var backoff = Backoff(10, 600);

        Assert.Equal(TimeSpan.FromSeconds(ceiling), backoff.MaxFor(attempt));
        Assert.Equal(TimeSpan.FromSeconds(ceiling / 2), backoff.For(attempt, 0));
        Assert.Equal(TimeSpan.FromSeconds(ceiling), backoff.For(attempt, 1));
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(backoff.For(attempt), TimeSpan.FromSeconds(ceiling / 2), TimeSpan.FromSeconds(ceiling));
        }
    }

    [Fact]
    public void Jitter_spreads_retries_of_the_same_attempt()
    {
        var backoff = Backoff(30, 3600);

        var delays = Enumerable.Range(0, 100).Select(_ => backoff.For(3)).Distinct().Count();

        Assert.True(delays > 50, $"only {delays} distinct delays in 100");
    }
}
