namespace JobQueue.Secrets;

/// <summary>
/// Reads named secrets: from Azure Key Vault when a vault is configured, otherwise from
/// configuration (local runs, tests). Values are never logged or returned by the API.
/// </summary>
public interface ISecretProvider
{
    /// <summary>The current value of secret <paramref name="name"/> (see <see cref="SecretNames"/>).</summary>
    ValueTask<string> GetAsync(string name, CancellationToken cancellationToken = default);
}
