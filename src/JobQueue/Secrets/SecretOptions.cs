namespace JobQueue.Secrets;

/// <summary>Settings <c>KeyVault:*</c>: the vault and the cache of its secrets.</summary>
public sealed class SecretOptions
{
    public const string Section = "KeyVault";

    /// <summary>e.g. <c>https://my-vault.vault.azure.net/</c>; empty = no vault, secrets from <c>Secrets:*</c> settings.</summary>
    public string? VaultUri { get; set; }

    /// <summary>How long a loaded secret is served before it is read again (a rotation shows up within this).</summary>
    public int CacheSeconds { get; set; } = 300;

    /// <summary>The longest a vault read may take; a secret never loaded then fails with a clear error.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// While the vault cannot be reached, a cached value is served for at most this long past its cache
    /// time; then reads fail (the API answers 503) rather than trusting a value that may have been
    /// rotated or revoked. A 401/403 from the vault drops the cached value at once.
    /// </summary>
    public int MaxStaleSeconds { get; set; } = 3600;
}
