using Azure.Core;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace JobQueue.WakeUp;

/// <summary>
/// The wake-up queue's client from the Functions host's own storage settings, read the way the host
/// reads a connection (<see cref="RunnerWakeUp.Connection"/>): a connection string in
/// <c>AzureWebJobsStorage</c> (locally: Azurite), or identity-based <c>AzureWebJobsStorage__queueServiceUri</c>
/// or <c>__accountName</c> with <c>__credential=managedidentity</c> and <c>__clientId</c> (the Bicep's
/// user-assigned identity; otherwise <see cref="DefaultAzureCredential"/>). Null where none is set.
/// Messages are base64, the queue trigger's default encoding.
/// </summary>
public static class WakeUpQueueConnection
{
    public static QueueClient? Create(IConfiguration configuration)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        // a lost message only costs latency: fail fast rather than hold enqueues' wake-ups back
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);

        var section = configuration.GetSection(RunnerWakeUp.Connection);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new QueueClient(section.Value, RunnerWakeUp.QueueName, options);
        }

        var serviceUri = section["queueServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.queue.core.windows.net")
            : null;
        if (serviceUri is null)
        {
            return null;
        }

        return new QueueServiceClient(serviceUri, Credential(section), options).GetQueueClient(RunnerWakeUp.QueueName);
    }

    private static TokenCredential Credential(IConfigurationSection section) =>
        string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? section["clientId"] is { Length: > 0 } clientId
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
}
