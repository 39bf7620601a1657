namespace JobQueue.Secrets;

/// <summary>
/// The app's own secrets, which no job may ever name (an HTTP job's header, a destination in
/// <c>HttpJobs:SecretDestinations</c>): the database connection string, the runner secret, the admin
/// token, the Game Platform API key, the stats cache-invalidation token (its default name; the name
/// configured in <c>Pipelines:StatsUpdate:CacheInvalidationSecret</c> comes from the module, an
/// <see cref="IOwnSecretNames"/>), and every <c>-previous</c>
/// variant of them (a rotation's previous value, still accepted as a login while it lasts).
/// Compared ignoring case, as Key Vault and configuration keys do.
/// </summary>
public sealed class AppSecrets(IEnumerable<IOwnSecretNames> modules)
{
    public const string PreviousSuffix = "-previous";

    /// <summary>The app's own secrets by their fixed names (<see cref="SecretNames"/>).</summary>
    public static readonly IReadOnlyList<string> Fixed =
    [
        SecretNames.DatabaseConnectionString, SecretNames.RunnerSecret, SecretNames.AdminToken, SecretNames.GamePlatformApiKey,
        SecretNames.StatsCacheInvalidationToken,
    ];

    /// <summary>Whether <paramref name="name"/> is one of the app's own secrets or a <c>-previous</c> variant of one.</summary>
    public bool Contains(string name)
    {
        var bare = name;
        while (bare.EndsWith(PreviousSuffix, StringComparison.OrdinalIgnoreCase))
        {
            bare = bare[..^PreviousSuffix.Length];
        }

        return Fixed.Concat(modules.SelectMany(m => m.Names))
            .Any(own => !string.IsNullOrWhiteSpace(own) && string.Equals(own, bare, StringComparison.OrdinalIgnoreCase));
    }
}
