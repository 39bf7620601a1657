namespace JobQueue.Secrets;

/// <summary>
/// The Key Vault secret names. Without a vault, each is read from configuration key
/// <c>Secrets:&lt;name&gt;</c> (app setting <c>Secrets__&lt;name&gt;</c>).
/// </summary>
public static class SecretNames
{
    public const string DatabaseConnectionString = "database-connection-string";
    public const string RunnerSecret = "job-runner-secret";
    public const string AdminToken = "admin-token";
    public const string GamePlatformApiKey = "game-platform-api-key";

    /// <summary>The stats pipeline's cache-invalidation token (the default of <c>Pipelines:StatsUpdate:CacheInvalidationSecret</c>).</summary>
    public const string StatsCacheInvalidationToken = "stats-cache-invalidation-token";
}
