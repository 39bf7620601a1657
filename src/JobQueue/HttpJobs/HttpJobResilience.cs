using System.Net;
using JobQueue.GamePlatform;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace JobQueue.HttpJobs;

/// <summary>
/// The HTTP jobs' Polly v8 pipeline (one per target authority), outermost first: retry (exponential
/// backoff with jitter on 408, 429, 5xx, connection failures and attempt timeouts; a 429's or 503's
/// <c>Retry-After</c> up to <see cref="HttpJobsOptions.MaxRetryAfterSeconds"/> is waited for, a longer
/// one ends the call), circuit breaker, and the attempt timeout the job asked for (its
/// <c>timeoutSeconds</c>, carried on the request). A refused private target is never retried.
/// </summary>
public static class HttpJobResilience
{
    public const string PipelineName = "http-jobs";

    /// <summary>The attempt timeout of one request (from the job's <c>timeoutSeconds</c>).</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeout = new("JobQueue.HttpJobs.AttemptTimeout");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, HttpJobsOptions o, TimeProvider time)
    {
        var maxRetryAfter = TimeSpan.FromSeconds(Math.Max(0, o.MaxRetryAfterSeconds));
        var baseDelay = TimeSpan.FromSeconds(Math.Max(0, o.RetryBaseDelaySeconds));
        pipeline
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = baseDelay > maxRetryAfter ? baseDelay : maxRetryAfter,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, maxRetryAfter, time)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && HonoursRetryAfter(response.StatusCode) ? GamePlatformResilience.RetryAfter(response, time) : null),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = Math.Clamp(o.CircuitBreakerFailureRatio, 0.01, 1),
                MinimumThroughput = Math.Max(2, o.CircuitBreakerMinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(0.5, o.CircuitBreakerBreakSeconds)),
                ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome) && !IsRefusedTarget(args.Outcome.Exception)),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(
                    args.Context.GetRequestMessage()?.Options.TryGetValue(AttemptTimeout, out var timeout) == true ? timeout : TimeSpan.FromSeconds(30)),
            });
    }

    /// <summary>Transient failures are retried, except a refused private target and a Retry-After beyond the bound.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, TimeProvider time)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome) || IsRefusedTarget(outcome.Exception))
        {
            return false;
        }

        return outcome.Result is not { } response
            || !HonoursRetryAfter(response.StatusCode)
            || GamePlatformResilience.RetryAfter(response, time) is not { } wait
            || wait <= maxRetryAfter;
    }

    /// <summary>The statuses whose Retry-After is honoured: 429 and 503.</summary>
    public static bool HonoursRetryAfter(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    public static bool IsRefusedTarget(Exception? e) => e is PrivateNetworkRefusedException || e?.InnerException is PrivateNetworkRefusedException;
}
