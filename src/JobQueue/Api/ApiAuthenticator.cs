using System.Security.Cryptography;
using System.Text;
using JobQueue.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Api;

/// <summary>
/// The two kinds of callers. Runner: the runner secret in <c>x-job-runner-secret</c> or as a bearer
/// token (current or previous version). Admin: the admin token as a bearer token, or (only with
/// <see cref="AuthOptions.AppServiceAuthentication"/>) an <c>x-ms-client-principal</c> with the admin
/// role. 401 for missing or wrong credentials, 403 for a principal without the role. Secrets are
/// compared in constant time and never logged.
/// </summary>
public sealed partial class ApiAuthenticator(
    ISecretProvider secrets, IOptions<AuthOptions> options, AppServiceAuthenticationMode appServiceAuthentication, ILogger<ApiAuthenticator> logger)
{
    public const string RunnerSecretHeader = "x-job-runner-secret";

    public async Task<AuthResult> RunnerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var presented = Header(request, RunnerSecretHeader) ?? BearerToken(request);
        if (presented is null)
        {
            return AuthResult.Deny(ApiProblems.Unauthorized(request, $"the runner secret is required ({RunnerSecretHeader} header or Authorization: Bearer)"));
        }

        var check = await MatchesAsync(SecretNames.RunnerSecret, presented, cancellationToken);
        return check ?? AuthResult.Deny(ApiProblems.Unauthorized(request, "the runner secret is wrong"));
    }

    public async Task<AuthResult> AdminAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bearer = BearerToken(request);
        if (bearer is not null)
        {
            var check = await MatchesAsync(SecretNames.AdminToken, bearer, cancellationToken);
            if (check is not null)
            {
                if (check.Succeeded)
                {
                    return AuthResult.Allow("admin-token");
                }

                return check;
            }
        }

        var o = options.Value;
        var principalHeader = appServiceAuthentication.TrustsPrincipalHeader ? Header(request, ClientPrincipal.HeaderName) : null;
        if (principalHeader is not null)
        {
            var principal = ClientPrincipal.TryParse(principalHeader);
            if (principal is null)
            {
                return AuthResult.Deny(ApiProblems.Unauthorized(request, $"the {ClientPrincipal.HeaderName} header is malformed"));
            }

            var name = Bounded("principal:" + principal.Name);
            return principal.Roles.Contains(o.AdminRole, StringComparer.Ordinal)
                ? AuthResult.Allow(name)
                : AuthResult.Deny(ApiProblems.Forbidden($"the signed-in principal lacks the app role '{o.AdminRole}'"), name);
        }

        return AuthResult.Deny(ApiProblems.Unauthorized(request, bearer is null
            ? "an admin bearer token is required (Authorization: Bearer <admin token>)"
            : "the admin token is wrong"));
    }

    /// <summary>Allow when it matches, null when it does not, a 503 when the secret cannot be read.</summary>
    private async Task<AuthResult?> MatchesAsync(string secretName, string presented, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> accepted;
        try
        {
            accepted = await secrets.GetAcceptedValuesAsync(secretName, cancellationToken);
        }
        catch (SecretNotFoundException)
        {
            LogSecretMissing(logger, secretName);
            return null;
        }
        catch (SecretUnavailableException e)
        {
            LogSecretUnavailable(logger, secretName, e.GetType().Name);
            return AuthResult.Deny(ApiProblems.Unavailable("credentials cannot be verified right now: the secret store is unavailable"));
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var value in accepted)
        {
            match |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        }

        return match ? AuthResult.Allow("runner") : null;
    }

    private static string? Header(HttpRequest request, string name)
    {
        var value = request.Headers[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static string? BearerToken(HttpRequest request)
    {
        var value = Header(request, "Authorization");
        const string scheme = "Bearer ";
        return value is not null && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && value.Length > scheme.Length
            ? value[scheme.Length..].Trim()
            : null;
    }

    private static string Bounded(string value) => value.Length > 200 ? value[..200] : value;

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Secret {SecretName} is not configured: requests presenting it are refused")]
    private static partial void LogSecretMissing(ILogger logger, string secretName);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Secret {SecretName} cannot be read ({ErrorType}): credentials cannot be verified")]
    private static partial void LogSecretUnavailable(ILogger logger, string secretName, string errorType);
}
