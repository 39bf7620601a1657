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
}
