namespace JobQueue.Secrets;

/// <summary>
/// Reads named secrets: from Azure Key Vault when a vault is configured, otherwise from
/// configuration (local runs, tests). Values are never logged or returned by the API.
/// </summary>
public interface ISecretProvider
{
    /// <summary>
    /// The current value of secret <paramref name="name"/> (see <see cref="SecretNames"/>).
    /// Throws <see cref="SecretNotFoundException"/> when it does not exist and
    /// <see cref="SecretUnavailableException"/> when the store cannot be reached and nothing is cached.
    /// </summary>
    ValueTask<string> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The values a caller may present for <paramref name="name"/>: the current one and, during a
    /// rotation, the previous enabled version.
    /// </summary>
    ValueTask<IReadOnlyList<string>> GetAcceptedValuesAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>The secret does not exist (not in the vault, or no <c>Secrets:&lt;name&gt;</c> setting).</summary>
public sealed class SecretNotFoundException(string name, string where)
    : Exception($"secret '{name}' is not configured ({where})")
{
    public string SecretName { get; } = name;
}

/// <summary>The secret store could not be reached and the secret was never loaded (no cached value).</summary>
public sealed class SecretUnavailableException(string name, string reason, Exception? inner = null)
    : Exception($"secret '{name}' could not be loaded: {reason}", inner)
{
    public string SecretName { get; } = name;
}
