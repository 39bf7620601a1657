namespace JobQueue.Api;

/// <summary>Settings section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Trust <c>x-ms-client-principal</c> (set by App Service Authentication / Entra ID in front of
    /// the app). Only switch on where that front end strips the header from client requests.
    /// </summary>
    public bool AppServiceAuthentication { get; set; }

    /// <summary>The app role a principal needs for the admin routes.</summary>
    public string AdminRole { get; set; } = "JobQueue.Admin";
}
