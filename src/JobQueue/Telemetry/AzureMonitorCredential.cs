using Azure.Core;
using Azure.Identity;

namespace JobQueue.Telemetry;

/// <summary>
/// The credential the Azure Monitor exporter sends telemetry with, from the Functions setting
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>Authorization=AAD</c>, optionally with
/// <c>ClientId=&lt;user-assigned identity's client id&gt;</c>): the Application Insights resource has
/// local (instrumentation key) authentication switched off, so ingestion needs an Entra ID token.
/// The exporter does not read that setting itself; the Functions host does.
/// </summary>
public static class AzureMonitorCredential
{
    public const string SettingKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>A managed identity credential, or null (the connection string's key alone) without <c>Authorization=AAD</c>.</summary>
    public static TokenCredential? FromAuthenticationString(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrEmpty(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
