using System.Net;
using JobQueue.Http;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace JobQueue.HttpJobs;

/// <summary>
/// The HTTP jobs' Polly v8 pipeline (one per target authority), outermost first: the attempt's
/// timeout (its <c>timeoutSeconds</c>, carried on the request), which bounds the whole call, every try,
/// redirect and wait included; retry (exponential backoff with jitter on 408, 429, 5xx and connection
/// failures, only for a request that may be sent again, <see cref="HttpIdempotency"/>, or one that was
/// never sent; a 429's or 503's <c>Retry-After</c> up to <see cref="HttpJobsOptions.MaxRetryAfterSeconds"/>
/// and within the time left is waited for, a longer one ends the call); circuit breaker. A refused
/// private target is never retried.
/// </summary>
public static class HttpJobResilience
{
    public const string PipelineName = "http-jobs";

    /// <summary>The time limit of one attempt (a job's <c>timeoutSeconds</c>): all its tries and the waits between them.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeout = new("JobQueue.HttpJobs.AttemptTimeout");

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>When the attempt's timeout fires (set by the timeout strategy, read by the retry's Retry-After rule).</summary>
    private static readonly ResiliencePropertyKey<DateTimeOffset> Deadline = new("JobQueue.HttpJobs.Deadline");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, HttpJobsOptions o, TimeProvider time)
    {
        var maxRetryAfter = TimeSpan.FromSeconds(Math.Max(0, o.MaxRetryAfterSeconds));
        var baseDelay = TimeSpan.FromSeconds(Math.Max(0, o.RetryBaseDelaySeconds));
        pipeline
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args =>
                {
                    var timeout = args.Context.GetRequestMessage()?.Options.TryGetValue(AttemptTimeout, out var asked) == true ? asked : DefaultTimeout;
                    args.Context.Properties.Set(Deadline, time.GetUtcNow() + timeout);
                    return ValueTask.FromResult(timeout);
                },
            })
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = baseDelay > maxRetryAfter ? baseDelay : maxRetryAfter,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(
                    ShouldRetry(args.Context.GetRequestMessage(), args.Outcome, Shorter(maxRetryAfter, TimeLeft(args.Context, time)), time)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && HonoursRetryAfter(response.StatusCode) ? RetryAfterHeader.Delay(response, time) : null),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = Math.Clamp(o.CircuitBreakerFailureRatio, 0.01, 1),
                MinimumThroughput = Math.Max(2, o.CircuitBreakerMinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(0.5, o.CircuitBreakerBreakSeconds)),
                ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome) && !IsRefusedTarget(args.Outcome.Exception)),
            });
    }

    /// <summary>
    /// Transient failures are retried when the request may be sent again (or never left), except a
    /// refused private target and a Retry-After beyond <paramref name="maxRetryAfter"/>.
    /// </summary>
    public static bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, TimeProvider time)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome) || IsRefusedTarget(outcome.Exception)
            || !(HttpIdempotency.MayRepeat(request) || WasNotSent(outcome.Exception)))
        {
            return false;
        }

        return outcome.Result is not { } response
            || !HonoursRetryAfter(response.StatusCode)
            || RetryAfterHeader.Delay(response, time) is not { } wait
            || wait <= maxRetryAfter;
    }

    /// <summary>The statuses whose Retry-After is honoured: 429 and 503.</summary>
    public static bool HonoursRetryAfter(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    public static bool IsRefusedTarget(Exception? e) => e is PrivateNetworkRefusedException || e?.InnerException is PrivateNetworkRefusedException;

    /// <summary>The call failed before the request left: the name did not resolve, or no connection (TCP or TLS) was made.</summary>
    public static bool WasNotSent(Exception? e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError };

    private static TimeSpan TimeLeft(ResilienceContext context, TimeProvider time) =>
        context.Properties.TryGetValue(Deadline, out var deadline) ? deadline - time.GetUtcNow() : TimeSpan.MaxValue;

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
