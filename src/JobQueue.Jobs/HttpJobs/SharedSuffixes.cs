namespace JobQueue.HttpJobs;

/// <summary>
/// Domain suffixes under which anyone can get a host of their own (multi-tenant platforms: every
/// customer's project, app, function or bucket is a subdomain). A wildcard over one of them in
/// <see cref="HttpJobsOptions.AllowedHosts"/> (<c>*.supabase.co</c>) allows an attacker's host as much
/// as the operator's, so it is refused unless <see cref="HttpJobsOptions.AllowSharedSuffixWildcards"/>
/// acknowledges it. A wildcard over a bare top-level domain (<c>*.com</c>) counts as shared too.
/// </summary>
public static class SharedSuffixes
{
    /// <summary>The list, in one place: add a platform here.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        // Supabase
        "supabase.co", "supabase.in", "supabase.net",
        // Azure
        "azurewebsites.net", "azurestaticapps.net", "azurecontainerapps.io", "azure-api.net", "azurefd.net", "azureedge.net",
        "cloudapp.azure.com", "core.windows.net", "windows.net", "azurecr.io", "trafficmanager.net",
        // AWS
        "amazonaws.com", "cloudfront.net", "awsapprunner.com", "elasticbeanstalk.com",
        // Google
        "cloudfunctions.net", "run.app", "appspot.com", "web.app", "firebaseapp.com", "googleusercontent.com",
        // Cloudflare
        "workers.dev", "pages.dev", "trycloudflare.com",
        // hosting platforms
        "vercel.app", "vercel.sh", "now.sh", "netlify.app", "netlify.com", "herokuapp.com", "onrender.com", "fly.dev", "railway.app",
        "deno.dev", "glitch.me", "repl.co", "replit.app", "github.io", "gitlab.io", "ngrok.io", "ngrok-free.app", "ngrok.app",
        "surge.sh", "pythonanywhere.com", "digitaloceanspaces.com", "ondigitalocean.app",
    ];

    /// <summary>
    /// Whether the <c>*.suffix</c> entry <paramref name="wildcard"/> spans a shared suffix: the suffix is
    /// a listed one, lies under one (<c>*.functions.supabase.co</c>), or is a single label (<c>*.com</c>).
    /// False for an entry that is not a wildcard.
    /// </summary>
    public static bool IsShared(string wildcard)
    {
        if (!wildcard.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = wildcard[2..].ToLowerInvariant().TrimEnd('.');
        return !suffix.Contains('.', StringComparison.Ordinal)
               || All.Any(shared => suffix == shared || suffix.EndsWith("." + shared, StringComparison.Ordinal));
    }
}
