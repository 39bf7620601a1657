namespace JobQueue.HttpJobs;

/// <summary>
/// One place a secret may be sent (an entry of <c>HttpJobs:SecretDestinations:&lt;secret&gt;</c>): an exact
/// host, and optionally a scheme (<c>https://</c>), a port and a path prefix. <c>abcd.supabase.co</c>
/// allows any URL on that host; <c>https://abcd.supabase.co/functions/v1/</c> only https (port 443) under
/// <c>/functions/v1/</c>; a prefix without a final <c>/</c> (<c>/hooks/invoices</c>) allows that path and
/// the paths below it, not <c>/hooks/invoices-old</c>.
/// </summary>
public sealed record SecretDestination(string? Scheme, string Host, int? Port, string PathPrefix)
{
    /// <summary>The entry as a destination, or why it is not one.</summary>
    public static (SecretDestination? Destination, string? Problem) Parse(string entry)
    {
        var schemeGiven = entry.Contains("://", StringComparison.Ordinal);
        if (entry.Contains('*', StringComparison.Ordinal))
        {
            return (null, $"'{entry}': a secret's destinations are exact hosts, without wildcards");
        }

        if (!Uri.TryCreate(schemeGiven ? entry : "https://" + entry, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.HostNameType is UriHostNameType.Unknown or UriHostNameType.Basic
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return (null, $"'{entry}' is not a host, or http(s)://host[:port][/path-prefix]");
        }

        var authority = (schemeGiven ? entry[(entry.IndexOf("://", StringComparison.Ordinal) + 3)..] : entry).Split('/')[0];
        var portGiven = schemeGiven || (authority.StartsWith('[') ? authority.Contains("]:", StringComparison.Ordinal) : authority.Contains(':', StringComparison.Ordinal));
        return (new SecretDestination(schemeGiven ? uri.Scheme : null, HttpTargetPolicy.HostOf(uri), portGiven ? uri.Port : null, uri.AbsolutePath), null);
    }

    /// <summary>Whether a request to <paramref name="url"/> may carry the secret.</summary>
    public bool Allows(Uri url)
    {
        if ((Scheme is not null && url.Scheme != Scheme) || HttpTargetPolicy.HostOf(url) != Host || (Port is { } port && url.Port != port))
        {
            return false;
        }

        if (PathPrefix == "/")
        {
            return true;
        }

        // an encoded dot, slash or backslash could be decoded by the server into a path outside the prefix
        var path = url.AbsolutePath;
        if (path.Contains("%2e", StringComparison.OrdinalIgnoreCase) || path.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%5c", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return PathPrefix.EndsWith('/')
            ? path.StartsWith(PathPrefix, StringComparison.Ordinal)
            : path == PathPrefix || path.StartsWith(PathPrefix + "/", StringComparison.Ordinal);
    }

    public override string ToString()
    {
        var port = Port is { } p && !(Scheme == "https" && p == 443) && !(Scheme == "http" && p == 80) ? $":{p}" : "";
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return $"{(Scheme is null ? "" : Scheme + "://")}{host}{port}{(PathPrefix == "/" ? "" : PathPrefix)}";
    }
}
