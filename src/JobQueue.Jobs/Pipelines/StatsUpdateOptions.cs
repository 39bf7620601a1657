namespace JobQueue.Pipelines;

/// <summary>
/// Settings section <c>Pipelines:StatsUpdate</c> (app settings <c>Pipelines__StatsUpdate__...</c>): the
/// stats pipeline's steps and its cache invalidation.
/// </summary>
public sealed class StatsUpdateOptions
{
    public const string Section = "Pipelines:StatsUpdate";

    /// <summary>The steps (<c>Steps__0__Name</c>, <c>Steps__0__Function</c>, <c>Steps__0__CacheTags</c>, ...); none = the pipeline is off.</summary>
    public List<StatsUpdateStep> Steps { get; set; } = [];

    /// <summary>Steps run at the same time.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>Attempts per step inside one job (with exponential backoff and jitter between them).</summary>
    public int StepAttempts { get; set; } = 3;

    /// <summary>Wait before a step's second attempt; doubles for each further one.</summary>
    public double StepRetryDelaySeconds { get; set; } = 1;

    /// <summary>Statement timeout of one step's call.</summary>
    public int StepTimeoutSeconds { get; set; } = 60;

    /// <summary>Where the successful steps' cache tags are POSTed (<c>{"tags": [...]}</c>); empty = no invalidation.</summary>
    public string? CacheInvalidationUrl { get; set; }

    /// <summary>The secret holding the invalidation endpoint's token (Key Vault, or <c>Secrets:&lt;name&gt;</c>).</summary>
    public string CacheInvalidationSecret { get; set; } = JobQueue.Secrets.SecretNames.StatsCacheInvalidationToken;

    /// <summary>The header that carries the token.</summary>
    public string CacheInvalidationHeader { get; set; } = "Authorization";

    /// <summary>The header's value, <c>{0}</c> standing for the token.</summary>
    public string CacheInvalidationFormat { get; set; } = "Bearer {0}";

    /// <summary>Timeout of the invalidation call, its retries (as an HTTP job's, see HttpJobs:MaxRetries) and their waits included.</summary>
    public int CacheInvalidationTimeoutSeconds { get; set; } = 10;
}

/// <summary>
/// One step: a name, the SQL function it calls (a setting, so it needs no entry in
/// SqlJobs:AllowedFunctions; the app's login needs EXECUTE on it), and the cache tags it refreshes.
/// </summary>
public sealed class StatsUpdateStep
{
    public string Name { get; set; } = "";

    /// <summary><c>schema.name</c> of a function without arguments.</summary>
    public string Function { get; set; } = "";

    /// <summary>An array (<c>CacheTags__0</c>, ...), or one comma-separated string.</summary>
    public List<string> CacheTags { get; set; } = [];
}
