using System.Net;
using JobQueue.Http;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JobQueue.GamePlatform;

/// <summary>
/// The client's Polly v8 pipeline, outermost first: total timeout, retry (exponential backoff with
/// jitter on 5xx, 408, 429, network errors and attempt timeouts; a bounded <c>Retry-After</c> is
/// honoured), circuit breaker, per-attempt timeout. All figures come from <see cref="GamePlatformOptions"/>.
/// </summary>
public static class GamePlatformResilience
{
    public const string PipelineName = "game-platform";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, GamePlatformOptions o, TimeProvider time)
    {
        var maxRetryAfter = Seconds(o.MaxRetryAfterSeconds);
        pipeline
            .AddTimeout(Seconds(Math.Max(o.TotalTimeoutSeconds, 0.01)))
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = Seconds(o.RetryBaseDelaySeconds),
                MaxDelay = Seconds(Math.Max(o.RetryBaseDelaySeconds, o.MaxRetryAfterSeconds)),
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, maxRetryAfter, time)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter(response, time) : null),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = Math.Clamp(o.CircuitBreakerFailureRatio, 0.01, 1),
                MinimumThroughput = Math.Max(2, o.CircuitBreakerMinimumThroughput),
                SamplingDuration = Seconds(Math.Max(0.5, o.CircuitBreakerSamplingSeconds)),
                BreakDuration = Seconds(Math.Max(0.5, o.CircuitBreakerBreakSeconds)),
            })
            .AddTimeout(Seconds(Math.Max(o.AttemptTimeoutSeconds, 0.01)));
    }

    /// <summary>Transient failures are retried; a 429 only if its Retry-After is within the bound.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, TimeProvider time)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }

        return outcome.Result is not { StatusCode: HttpStatusCode.TooManyRequests } response
            || RetryAfter(response, time) is not { } wait
            || wait <= maxRetryAfter;
    }

    /// <summary>The response's <c>Retry-After</c> (seconds or an HTTP date) as a delay, or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => RetryAfterHeader.Delay(response, time);

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds));
}
