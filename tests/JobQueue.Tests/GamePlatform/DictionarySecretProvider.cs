using JobQueue.Secrets;

namespace JobQueue.Tests.GamePlatform;

/// <summary>A secret provider over a dictionary (the real one, Key Vault or configuration, is tested elsewhere).</summary>
public sealed class DictionarySecretProvider(IDictionary<string, string> secrets) : ISecretProvider
{
    public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken = default) =>
        secrets.TryGetValue(name, out var value)
            ? ValueTask.FromResult(value)
            : throw new SecretNotFoundException(name, "test dictionary");

    public async ValueTask<IReadOnlyList<string>> GetAcceptedValuesAsync(string name, CancellationToken cancellationToken = default) =>
        [await GetAsync(name, cancellationToken)];
}
