using System.Net.Sockets;
using Azure.Storage.Queues;
using JobQueue.FunctionsTestHost;

namespace JobQueue.Tests.Functions;

/// <summary>
/// Azurite through infra/local/azurite.sh (installed from npm where missing): the Storage account that
/// Storage-queue features are tested against, reached with the Azure SDK.
/// </summary>
public sealed class AzuriteTests
{
    [Fact]
    public async Task Azurite_starts_serves_a_storage_queue_and_stops()
    {
        Uri endpoint;
        await using (var azurite = await Azurite.StartAsync(RepositoryFiles.Root))
        {
            var queue = new QueueClient(azurite.ConnectionString, "jobqueue-azurite-check");
            endpoint = queue.Uri;
            Assert.Equal("127.0.0.1", endpoint.Host);
            await queue.CreateIfNotExistsAsync();
            await queue.SendMessageAsync("wake up");

            var received = (await queue.ReceiveMessagesAsync(maxMessages: 1)).Value;
            Assert.Equal("wake up", Assert.Single(received).Body.ToString());
            await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
            Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endpoint.Host, endpoint.Port));
    }
}
