using JobQueue.Settings;
using Microsoft.Extensions.Options;

namespace JobQueue.HttpJobs;

/// <summary>
/// Where an HTTP job may send a request: an absolute http(s) URL without credentials whose host is
/// in <see cref="HttpJobsOptions.AllowedHosts"/> (exact, or <c>*.suffix</c> for subdomains) and, unless
/// <see cref="HttpJobsOptions.AllowPrivateNetworks"/>, is not a private address or <c>localhost</c>.
/// Checked when a job is created and again before its request is sent (and on redirects); the
/// addresses a name resolves to are checked when connecting (<see cref="PrivateNetworks"/>). A wildcard
/// over a shared multi-tenant suffix (<see cref="SharedSuffixes"/>) is honoured only with
/// <see cref="HttpJobsOptions.AllowSharedSuffixWildcards"/> (without it the host does not even start,
/// <see cref="HttpJobsOptionsValidator"/>).
/// </summary>
public sealed class HttpTargetPolicy(IOptions<HttpJobsOptions> options)
{
    public const int MaxUrlLength = 2048;

    private readonly List<string> allowed = Entries(options.Value)
        .Where(entry => options.Value.AllowSharedSuffixWildcards || !SharedSuffixes.IsShared(entry))
        .ToList();

    /// <summary>The wildcards of <see cref="HttpJobsOptions.AllowedHosts"/> over shared suffixes (honoured or not).</summary>
    public IReadOnlyList<string> SharedWildcards { get; } = Entries(options.Value).Where(SharedSuffixes.IsShared).ToList();

    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks;

    /// <summary>The URL, or the reason it may not be called.</summary>
    public (Uri? Url, string? Problem) Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return (null, "is required: the absolute http or https URL to call");
        }

        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"must be an absolute http or https URL of at most {MaxUrlLength} characters");
        }

        return (uri, Check(uri));
    }

    /// <summary>Null when <paramref name="url"/> may be called.</summary>
    public string? Check(Uri url)
    {
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "must not carry credentials (user:password@): they would be stored in the job; use a secret header";
        }

        var host = HostOf(url);
        if (allowed.Count == 0)
        {
            return $"host {host} is not allowed: HttpJobs:AllowedHosts is empty, so HTTP jobs may call no host";
        }

        if (!allowed.Any(entry => Matches(entry, host)))
        {
            return $"host {host} is not in HttpJobs:AllowedHosts";
        }

        return !AllowPrivateNetworks && PrivateNetworks.IsPrivateHost(url)
            ? $"host {host} is a loopback, private or link-local address, which HTTP jobs may not call (HttpJobs:AllowPrivateNetworks is off)"
            : null;
    }

    /// <summary>The entries of <see cref="HttpJobsOptions.AllowedHosts"/>, lower case, without a final dot.</summary>
    public static IEnumerable<string> Entries(HttpJobsOptions options) =>
        options.AllowedHosts.SelectMany(ListSetting.Split).Select(h => h.ToLowerInvariant().TrimEnd('.'));

    /// <summary>A URL's host as the rules compare it: IDN (punycode), lower case, no brackets, no final dot.</summary>
    public static string HostOf(Uri url) => url.IdnHost.Trim('[', ']').ToLowerInvariant().TrimEnd('.');

    private static bool Matches(string entry, string host) =>
        entry.StartsWith("*.", StringComparison.Ordinal)
            ? host.Length > entry.Length - 1 && host.EndsWith(entry[1..], StringComparison.Ordinal)
            : entry.Trim('[', ']') == host;
}
