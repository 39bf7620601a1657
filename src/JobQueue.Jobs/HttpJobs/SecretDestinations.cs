using JobQueue.Secrets;
using JobQueue.Settings;
using Microsoft.Extensions.Options;

namespace JobQueue.HttpJobs;

/// <summary>
/// <see cref="HttpJobsOptions.SecretDestinations"/>: where each secret that HTTP jobs may send may go.
/// A secret without destinations can be sent nowhere; the app's own secrets (<see cref="AppSecrets"/>)
/// never. Checked when a job is created (400 naming the header), before it runs (a job enqueued in
/// SQL, by a trigger or pg_cron, fails for good without a request) and on every redirect. Entries that
/// are not destinations, and destinations given for the app's own secrets, are <see cref="Problems"/>:
/// the host does not start with them (<see cref="HttpJobsOptionsValidator"/>), and they allow nothing.
/// </summary>
public sealed class SecretDestinations
{
    public const string SettingPrefix = $"{HttpJobsOptions.Section}:{nameof(HttpJobsOptions.SecretDestinations)}";

    private readonly Dictionary<string, List<SecretDestination>> bySecret = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> problems = [];

    public SecretDestinations(IOptions<HttpJobsOptions> options, AppSecrets appSecrets)
        : this(options.Value, appSecrets)
    {
    }

    internal SecretDestinations(HttpJobsOptions options, AppSecrets appSecrets)
    {
        foreach (var (secret, entries) in options.SecretDestinations)
        {
            if (HttpRequestRules.SecretNameProblem(secret) is { } badName)
            {
                problems.Add($"{SettingPrefix}:{secret}: not a secret's name ({badName})");
                continue;
            }

            if (appSecrets.Contains(secret))
            {
                problems.Add($"{SettingPrefix}:{secret}: '{secret}' is one of the app's own secrets, which no job may ever send: remove the setting");
                continue;
            }

            var destinations = new List<SecretDestination>();
            foreach (var entry in entries.SelectMany(ListSetting.Split))
            {
                var (destination, problem) = SecretDestination.Parse(entry);
                if (destination is null)
                {
                    problems.Add($"{SettingPrefix}:{secret}: {problem}");
                }
                else
                {
                    destinations.Add(destination);
                }
            }

            bySecret[secret] = destinations;
        }
    }

    /// <summary>What is wrong with the setting (empty when nothing is).</summary>
    public IReadOnlyList<string> Problems => problems;

    /// <summary>The destinations of <paramref name="secret"/> (none: it may not be sent).</summary>
    public IReadOnlyList<SecretDestination> Of(string secret) => bySecret.GetValueOrDefault(secret) ?? [];

    /// <summary>Null when a request to <paramref name="url"/> may carry <paramref name="secret"/>, else why not.</summary>
    public string? Check(string secret, Uri url)
    {
        var destinations = Of(secret);
        if (destinations.Count == 0)
        {
            return $"secret '{secret}' may be sent nowhere: name its destinations in {SettingPrefix}:{secret} "
                   + "(exact hosts, optionally with scheme and path prefix, e.g. https://abcd.supabase.co/functions/v1/)";
        }

        return destinations.Any(d => d.Allows(url))
            ? null
            : $"secret '{secret}' may not be sent to {url.GetLeftPart(UriPartial.Path)}: {SettingPrefix}:{secret} allows {string.Join(", ", destinations)}";
    }
}
