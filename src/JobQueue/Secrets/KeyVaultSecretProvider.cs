using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Secrets;

/// <summary>
/// Secrets from Azure Key Vault, cached for <see cref="SecretOptions.CacheSeconds"/>; concurrent reads
/// of a secret that is due share one vault call. When the vault cannot be reached (timeout, 5xx,
/// network), a cached value keeps being served for at most <see cref="SecretOptions.MaxStaleSeconds"/>
/// past its cache time (a warning is logged, never the value), then reads fail with
/// <see cref="SecretUnavailableException"/> (the API answers 503). A 401/403 (access revoked, or the
/// current version disabled) is an answer, not an outage: the cached value is dropped at once (fail
/// closed). A secret never loaded fails within <see cref="SecretOptions.TimeoutSeconds"/>. The accepted
/// values of a secret are its two newest enabled, unexpired versions (current and previous during a
/// rotation; disabling a version withdraws it).
/// </summary>
public sealed partial class KeyVaultSecretProvider(
    SecretClient client, IOptions<SecretOptions> options, TimeProvider time, ILogger<KeyVaultSecretProvider> logger) : ISecretProvider
{
    private readonly ConcurrentDictionary<string, Cached> current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached> accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(bool Accepted, string Name), Lazy<Task<IReadOnlyList<string>>>> inFlight = new();

    public async ValueTask<string> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetCachedAsync(current, false, name, LoadCurrentAsync, cancellationToken))[0];

    public async ValueTask<IReadOnlyList<string>> GetAcceptedValuesAsync(string name, CancellationToken cancellationToken = default) =>
        await GetCachedAsync(accepted, true, name, LoadAcceptedAsync, cancellationToken);

    private async Task<IReadOnlyList<string>> GetCachedAsync(
        ConcurrentDictionary<string, Cached> cache, bool isAccepted, string name,
        Func<string, CancellationToken, Task<IReadOnlyList<string>>> load, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var ttl = TimeSpan.FromSeconds(Math.Max(0, o.CacheSeconds));
        if (cache.TryGetValue(name, out var hit) && time.GetUtcNow() - hit.LoadedAt < ttl)
        {
            return hit.Values;
        }

        // one vault call per secret at a time: the callers that find it due share it
        var key = (isAccepted, name);
        var mine = new Lazy<Task<IReadOnlyList<string>>>(() => RefreshAsync(cache, name, load));
        var shared = inFlight.GetOrAdd(key, mine);
        if (ReferenceEquals(shared, mine))
        {
            _ = mine.Value.ContinueWith(
                _ => inFlight.TryRemove(new KeyValuePair<(bool, string), Lazy<Task<IReadOnlyList<string>>>>(key, mine)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return await shared.Value.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> RefreshAsync(
        ConcurrentDictionary<string, Cached> cache, string name, Func<string, CancellationToken, Task<IReadOnlyList<string>>> load)
    {
        await Task.Yield();
        var o = options.Value;
        cache.TryGetValue(name, out var hit);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)));
        try
        {
            var values = await load(name, timeout.Token).WaitAsync(timeout.Token);
            cache[name] = new Cached(values, time.GetUtcNow());
            return values;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            cache.TryRemove(name, out _);
            throw new SecretNotFoundException(name, "not in the key vault");
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            // access revoked or the version disabled: an answer, so the cached value goes too
            cache.TryRemove(name, out _);
            LogDenied(logger, name, e.Status);
            throw new SecretUnavailableException(name, $"the key vault refused access ({e.Status})", e);
        }
        catch (Exception e) when (e is not SecretNotFoundException and not SecretUnavailableException)
        {
            var reason = e is OperationCanceledException ? "timed out" : e.GetType().Name;
            var staleFor = hit is null ? TimeSpan.MaxValue : time.GetUtcNow() - hit.LoadedAt - TimeSpan.FromSeconds(Math.Max(0, o.CacheSeconds));
            if (hit is not null && staleFor <= TimeSpan.FromSeconds(Math.Max(0, o.MaxStaleSeconds)))
            {
                LogServingCached(logger, name, reason, (long)Math.Max(0, staleFor.TotalSeconds));
                return hit.Values;
            }

            LogUnavailable(logger, name, reason, hit is null ? "no cached value" : "the cached value is too old to serve");
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
        var now = time.GetUtcNow();
        var enabled = new List<SecretProperties>();
        await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (version.Enabled == true && (version.ExpiresOn is null || version.ExpiresOn > now))
            {
                enabled.Add(version);
            }
        }

        var newest = enabled.OrderByDescending(v => v.CreatedOn ?? DateTimeOffset.MinValue).Take(2).ToList();
        if (newest.Count == 0)
        {
            throw new RequestFailedException(404, $"secret {name} has no enabled version");
        }

        var values = new List<string>(newest.Count);
        foreach (var version in newest)
        {
            var value = (await client.GetSecretAsync(name, version.Version, cancellationToken)).Value.Value;
            if (!values.Contains(value, StringComparer.Ordinal))
            {
                values.Add(value);
            }
        }

        return values;
    }

    private sealed record Cached(IReadOnlyList<string> Values, DateTimeOffset LoadedAt);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Key Vault unavailable for secret {SecretName} ({Reason}): serving the cached value, {StaleSeconds} s past its cache time")]
    private static partial void LogServingCached(ILogger logger, string secretName, string reason, long staleSeconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Key Vault unavailable for secret {SecretName} ({Reason}) and {Why}")]
    private static partial void LogUnavailable(ILogger logger, string secretName, string reason, string why);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error,
        Message = "Key Vault refused secret {SecretName} ({Status}: access revoked or the version disabled): its cached value is dropped")]
    private static partial void LogDenied(ILogger logger, string secretName, int status);
}
