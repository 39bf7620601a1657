using Azure;
using Azure.Security.KeyVault.Secrets;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace JobQueue.Tests.Secrets;

/// <summary>
/// A substituted <see cref="SecretClient"/> holding secret versions built with <see cref="SecretModelFactory"/>,
/// answering like Key Vault: a read without a version returns the LATEST version, and a disabled
/// version (the latest included) answers 403 Forbidden.
/// </summary>
public sealed class KeyVaultFake
{
    private readonly Dictionary<string, List<(SecretProperties Properties, string Value)>> versions = new(StringComparer.Ordinal);
    private volatile TaskCompletionSource? gate;

    /// <summary>Vault reads wait until <see cref="Release"/> (to see concurrent callers pile up).</summary>
    public void Hold() => gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => gate?.TrySetResult();

    /// <summary>Disables version <paramref name="index"/> (0 = the first added) of a secret.</summary>
    public KeyVaultFake Disable(string name, int index)
    {
        versions[name][index].Properties.Enabled = false;
        return this;
    }

    public KeyVaultFake()
    {
        Client.GetSecretAsync(Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<CancellationToken>())
            .Returns(call => Get(call.ArgAt<string>(0), call.ArgAt<string?>(1)));
        Client.GetPropertiesOfSecretVersionsAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => AsyncPageable<SecretProperties>.FromPages(
            [
                Page<SecretProperties>.FromValues(
                    versions.TryGetValue(call.ArgAt<string>(0), out var list) ? list.Select(v => v.Properties).ToList() : [],
                    null, Substitute.For<Response>()),
            ]));
    }

    public SecretClient Client { get; } = Substitute.For<SecretClient>();

    /// <summary>Adds a version (the newest enabled one is current).</summary>
    public KeyVaultFake Add(string name, string value, bool enabled = true)
    {
        var list = versions.TryGetValue(name, out var existing) ? existing : versions[name] = [];
        var properties = SecretModelFactory.SecretProperties(
            id: new Uri($"https://vault.example/secrets/{name}/v{list.Count}"), name: name, version: "v" + list.Count,
            createdOn: DateTimeOffset.UnixEpoch.AddDays(list.Count));
        properties.Enabled = enabled;
        list.Add((properties, value));
        return this;
    }

    /// <summary>From now on every call fails like an unreachable vault.</summary>
    public void GoDown()
    {
        Client.GetSecretAsync(Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RequestFailedException(503, "vault unavailable"));
        Client.GetPropertiesOfSecretVersionsAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Throws(new RequestFailedException(503, "vault unavailable"));
    }

    /// <summary>From now on every call hangs (never answers).</summary>
    public void Hang() =>
        Client.GetSecretAsync(Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<CancellationToken>())
            .Returns(new TaskCompletionSource<Response<KeyVaultSecret>>().Task);

    private async Task<Response<KeyVaultSecret>> Get(string name, string? version)
    {
        if (gate is { } held)
        {
            await held.Task;
        }

        if (!versions.TryGetValue(name, out var list))
        {
            throw new RequestFailedException(404, $"secret {name} not found");
        }

        var match = version is null ? list.Last() : list.Single(v => v.Properties.Version == version);
        if (match.Properties.Enabled != true)
        {
            throw new RequestFailedException(403, "Operation get is not allowed on a disabled secret.", "Forbidden", null);
        }

        return Response.FromValue(SecretModelFactory.KeyVaultSecret(match.Properties, match.Value), Substitute.For<Response>());
    }
}
