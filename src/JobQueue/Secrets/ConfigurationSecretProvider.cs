using Microsoft.Extensions.Configuration;

namespace JobQueue.Secrets;

/// <summary>
/// Secrets from configuration (<c>Secrets:&lt;name&gt;</c>, app setting <c>Secrets__&lt;name&gt;</c>): used
/// only when no vault is configured (local runs, tests). A rotation's previous value is
/// <c>Secrets:&lt;name&gt;-previous</c>.
/// </summary>
public sealed class ConfigurationSecretProvider(IConfiguration configuration) : ISecretProvider
{
    public const string Section = "Secrets";

    public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var value = configuration[$"{Section}:{name}"];
        return string.IsNullOrEmpty(value)
            ? throw new SecretNotFoundException(name, $"no vault configured and setting {Section}:{name} is empty")
            : ValueTask.FromResult(value);
    }

    public async ValueTask<IReadOnlyList<string>> GetAcceptedValuesAsync(string name, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(name, cancellationToken);
        var previous = configuration[$"{Section}:{name}-previous"];
        return string.IsNullOrEmpty(previous) || previous == current ? [current] : [current, previous];
    }
}
