namespace JobQueue.Api;

/// <summary>Settings section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Trust <c>x-ms-client-principal</c> (set by App Service Authentication / Entra ID in front of
    /// the app). Takes effect only where App Service Authentication is really on: the platform sets
    /// <see cref="PlatformAuthEnabledKey"/> to <c>True</c> there, and strips the header from client
    /// requests. Anywhere else a principal header is ignored (a forged one gets 401).
    /// </summary>
    public bool AppServiceAuthentication { get; set; }

    /// <summary>The environment variable App Service sets when its authentication (Easy Auth) is on.</summary>
    public const string PlatformAuthEnabledKey = "WEBSITE_AUTH_ENABLED";

    /// <summary>The app role a principal needs for the admin routes.</summary>
    public string AdminRole { get; set; } = "JobQueue.Admin";
}
