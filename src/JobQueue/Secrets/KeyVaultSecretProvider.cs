using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Secrets;

/// <summary>
/// Secrets from Azure Key Vault, cached for <see cref="SecretOptions.CacheSeconds"/>. When the vault
/// cannot be reached, cached values keep being served (a warning is logged, never the value); a secret
/// that was never loaded fails within <see cref="SecretOptions.TimeoutSeconds"/> with
/// <see cref="SecretUnavailableException"/>. The accepted values of a secret are its current version and
/// the newest other enabled version (the previous one during a rotation).
/// </summary>
public sealed partial class KeyVaultSecretProvider(
    SecretClient client, IOptions<SecretOptions> options, TimeProvider time, ILogger<KeyVaultSecretProvider> logger) : ISecretProvider
{
    private readonly ConcurrentDictionary<string, Cached> current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached> accepted = new(StringComparer.Ordinal);

    public async ValueTask<string> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetCachedAsync(current, name, LoadCurrentAsync, cancellationToken))[0];

    public async ValueTask<IReadOnlyList<string>> GetAcceptedValuesAsync(string name, CancellationToken cancellationToken = default) =>
        await GetCachedAsync(accepted, name, LoadAcceptedAsync, cancellationToken);

    private async Task<IReadOnlyList<string>> GetCachedAsync(
        ConcurrentDictionary<string, Cached> cache, string name,
        Func<string, CancellationToken, Task<IReadOnlyList<string>>> load, CancellationToken cancellationToken)
    {
        var ttl = TimeSpan.FromSeconds(Math.Max(0, options.Value.CacheSeconds));
        if (cache.TryGetValue(name, out var hit) && time.GetUtcNow() - hit.LoadedAt < ttl)
        {
            return hit.Values;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds)));
        try
        {
            var values = await load(name, timeout.Token).WaitAsync(timeout.Token);
            cache[name] = new Cached(values, time.GetUtcNow());
            return values;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new SecretNotFoundException(name, "not in the key vault");
        }
        catch (Exception e) when (e is not SecretNotFoundException && !cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "timed out" : e.GetType().Name;
            if (hit is not null)
            {
                LogServingCached(logger, name, reason);
                return hit.Values;
            }

            LogUnavailable(logger, name, reason);
            throw new SecretUnavailableException(name, $"the key vault did not answer ({reason})", e);
        }
    }

    private async Task<IReadOnlyList<string>> LoadCurrentAsync(string name, CancellationToken cancellationToken)
    {
        var secret = (await client.GetSecretAsync(name, null, cancellationToken)).Value;
        return [secret.Value];
    }

    private async Task<IReadOnlyList<string>> LoadAcceptedAsync(string name, CancellationToken cancellationToken)
    {
        var secret = (await client.GetSecretAsync(name, null, cancellationToken)).Value;
        SecretProperties? previous = null;
        await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (version.Enabled == true && version.Version != secret.Properties.Version
                && (version.ExpiresOn is null || version.ExpiresOn > time.GetUtcNow())
                && (previous is null || (version.CreatedOn ?? DateTimeOffset.MinValue) > (previous.CreatedOn ?? DateTimeOffset.MinValue)))
            {
                previous = version;
            }
        }

        if (previous is null)
        {
            return [secret.Value];
        }

        var old = (await client.GetSecretAsync(name, previous.Version, cancellationToken)).Value;
        return old.Value == secret.Value ? [secret.Value] : [secret.Value, old.Value];
    }

    private sealed record Cached(IReadOnlyList<string> Values, DateTimeOffset LoadedAt);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Key Vault unavailable for secret {SecretName} ({Reason}): serving the cached value")]
    private static partial void LogServingCached(ILogger logger, string secretName, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Key Vault unavailable for secret {SecretName} ({Reason}) and no cached value")]
    private static partial void LogUnavailable(ILogger logger, string secretName, string reason);
}
