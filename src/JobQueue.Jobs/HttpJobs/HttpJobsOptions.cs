namespace JobQueue.HttpJobs;

/// <summary>
/// Settings section <c>HttpJobs</c>: where <c>http_request</c> jobs may send requests and how the
/// calls are retried inside one attempt.
/// </summary>
public sealed class HttpJobsOptions
{
    public const string Section = "HttpJobs";

    /// <summary>
    /// Hosts a job may call: exact host names or IP literals (<c>api.example.com</c>, <c>127.0.0.1</c>)
    /// and <c>*.suffix</c> for every subdomain of a suffix (<c>*.example.com</c>, not <c>example.com</c>
    /// itself); an array (<c>AllowedHosts__0</c>, ...) or one comma-separated string. Empty: no host may be called.
    /// A wildcard over a shared multi-tenant suffix (<see cref="SharedSuffixes"/>: <c>*.supabase.co</c>,
    /// <c>*.azurewebsites.net</c>, ...) stops the host from starting unless <see cref="AllowSharedSuffixWildcards"/>.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Accept wildcards over shared multi-tenant suffixes in <see cref="AllowedHosts"/> (anyone can own a
    /// host under them); a warning naming them is logged at start-up. Off: such an entry stops the host
    /// from starting, with a message naming it.
    /// </summary>
    public bool AllowSharedSuffixWildcards { get; set; }

    /// <summary>
    /// Where each secret that jobs may send may go (<c>SecretDestinations:&lt;secret&gt;</c>, app setting
    /// <c>HttpJobs__SecretDestinations__service-role-key</c>): exact hosts, each optionally with a scheme,
    /// a port and a path prefix (<c>https://abcd.supabase.co/functions/v1/</c>); a list like
    /// <see cref="AllowedHosts"/>. A secret without destinations can be named by no job; the app's own
    /// secrets never (<see cref="JobQueue.Secrets.AppSecrets"/>).
    /// </summary>
    public Dictionary<string, List<string>> SecretDestinations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Allow any address, not only global unicast ones: loopback, private (RFC 1918, unique local),
    /// link-local (including cloud metadata endpoints), carrier-grade NAT, documentation, multicast,
    /// reserved, unspecified, and this machine's own. Off: such targets are refused when a job is created
    /// and again on every address a host name resolves to at connect time (<see cref="PrivateNetworks"/>).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Retries inside one attempt after 408, 429, 5xx and connection failures, of a request that may be
    /// sent again (GET, HEAD, PUT, DELETE, or one with an idempotency key) or was never sent; all within
    /// the attempt's timeout.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay inside an attempt; doubles per retry, with jitter.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 1;

    /// <summary>
    /// The longest <c>Retry-After</c> (429, 503) waited for inside an attempt; a longer one ends the
    /// attempt and the job's next attempt is scheduled no earlier than it (capped by <c>Runner:Backoff:MaxSeconds</c>).
    /// </summary>
    public double MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>Circuit breaker (one per target host and port): share of failed calls in 30 s that opens it.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: calls to the host within 30 s before it may open.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>How long an open circuit fails calls to that host at once (the job is retried later).</summary>
    public double CircuitBreakerBreakSeconds { get; set; } = 15;
}
