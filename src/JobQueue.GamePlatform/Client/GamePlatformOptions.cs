namespace JobQueue.GamePlatform;

/// <summary>
/// Settings section <c>GamePlatform</c> (app settings <c>GamePlatform__BaseUrl</c> and so on). Only
/// <see cref="BaseUrl"/> is required; the API key is the secret <c>game-platform-api-key</c>.
/// </summary>
public sealed class GamePlatformOptions
{
    public const string Section = "GamePlatform";

    /// <summary>The API's base URL, e.g. <c>https://api.gameplatform.example</c> (local: the simulator).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Timeout of one call including its retries.</summary>
    public double TotalTimeoutSeconds { get; set; } = 60;

    /// <summary>Retries after the first attempt on 5xx, 408, 429, network errors and attempt timeouts.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; doubles per retry, with jitter.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 1;

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for inside a call. A longer one is not waited
    /// for: the call fails as rate limited and the job is retried by the queue later.
    /// </summary>
    public double MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>Circuit breaker: share of failed calls in the sampling window that opens the circuit.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: calls in the window before it may open.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    public double CircuitBreakerSamplingSeconds { get; set; } = 30;

    /// <summary>How long an open circuit rejects calls at once before probing again.</summary>
    public double CircuitBreakerBreakSeconds { get; set; } = 15;

    /// <summary>Items per activity page requested (the API caps it, see CONTRACT.md).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Competitors synced (or swept) concurrently.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The sync asks for activity after (watermark - overlap): activity recorded late with an older
    /// timestamp is still picked up; the upsert by activity id makes the overlap harmless.
    /// </summary>
    public long SyncOverlapSeconds { get; set; } = 300;

    /// <summary>How long a sweep holds a claimed batch before another sweep may take it.</summary>
    public double SweepClaimLeaseSeconds { get; set; } = 300;
}
