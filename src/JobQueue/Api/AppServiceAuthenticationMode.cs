using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Api;

/// <summary>
/// Whether <c>x-ms-client-principal</c> may be trusted: <c>Auth:AppServiceAuthentication=true</c> AND
/// App Service Authentication really in front of the app (<c>WEBSITE_AUTH_ENABLED=True</c>, set by the
/// platform). Asked for the first without the second, the header is not trusted and a warning is
/// logged when the host starts.
/// </summary>
public sealed partial class AppServiceAuthenticationMode(
    IOptions<AuthOptions> options, IConfiguration configuration, ILogger<AppServiceAuthenticationMode> logger) : IHostedService
{
    public bool Requested => options.Value.AppServiceAuthentication;

    public bool PlatformEnabled =>
        string.Equals(configuration[AuthOptions.PlatformAuthEnabledKey], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the principal header is trusted.</summary>
    public bool TrustsPrincipalHeader => Requested && PlatformEnabled;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Requested && !PlatformEnabled)
        {
            LogNotEnabled(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning,
        Message = "Auth:AppServiceAuthentication=true but App Service Authentication is not on (WEBSITE_AUTH_ENABLED is not True): "
                  + "x-ms-client-principal is NOT trusted; admin callers need the admin token. Turn on App Service Authentication "
                  + "(Bicep parameter appServiceAuthentication=true) or set Auth:AppServiceAuthentication=false")]
    private static partial void LogNotEnabled(ILogger logger);
}
