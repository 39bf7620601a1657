using JobQueue.Secrets;
using Microsoft.Extensions.Options;

namespace JobQueue.HttpJobs;

/// <summary>
/// The <c>HttpJobs</c> settings a host must not start with (checked at start-up, <c>ValidateOnStart</c>,
/// and wherever the options are first read): a wildcard over a shared multi-tenant suffix in
/// <see cref="HttpJobsOptions.AllowedHosts"/> (<c>*.supabase.co</c>: an attacker's project is as much a
/// subdomain as yours) without <see cref="HttpJobsOptions.AllowSharedSuffixWildcards"/>, and
/// <see cref="HttpJobsOptions.SecretDestinations"/> that are not destinations or name one of the app's
/// own secrets. The message names each entry and what to do.
/// </summary>
public sealed class HttpJobsOptionsValidator(AppSecrets appSecrets) : IValidateOptions<HttpJobsOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpJobsOptions options)
    {
        var failures = new List<string>();
        var shared = HttpTargetPolicy.Entries(options).Where(SharedSuffixes.IsShared).ToList();
        if (shared.Count > 0 && !options.AllowSharedSuffixWildcards)
        {
            failures.Add(
                $"{HttpJobsOptions.Section}:{nameof(HttpJobsOptions.AllowedHosts)}: {string.Join(", ", shared)} "
                + $"{(shared.Count == 1 ? "is a wildcard" : "are wildcards")} over a shared multi-tenant suffix, under which anyone can host "
                + "(an attacker's project as much as yours): list your exact hosts instead (e.g. abcd.supabase.co), or accept the risk "
                + $"with {HttpJobsOptions.Section}:{nameof(HttpJobsOptions.AllowSharedSuffixWildcards)}=true");
        }

        failures.AddRange(new SecretDestinations(options, appSecrets).Problems);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
