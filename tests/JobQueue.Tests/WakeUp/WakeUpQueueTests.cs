using System.Diagnostics;
using Azure.Storage.Queues;
using JobQueue.FunctionsTestHost;
using JobQueue.Queue;
using JobQueue.Tests.Functions;
using JobQueue.Tests.Infrastructure;
using JobQueue.WakeUp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.WakeUp;

/// <summary>
/// The wake-up messages the library sends after enqueues commit (<see cref="StorageQueueWakeUp"/>),
/// against a real queue in Azurite: sent for jobs due now, coalesced for bursts, none for later jobs,
/// and switched off without storage.
/// </summary>
public sealed class WakeUpQueueTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private Azurite azurite = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        azurite = await Azurite.StartAsync(RepositoryFiles.Root);
    }

    public async Task DisposeAsync()
    {
        await azurite.DisposeAsync();
        await db.DisposeAsync();
    }

    private ServiceProvider Services(IDictionary<string, string?> settings) =>
        db.BuildServices(s => s.AddJobQueueWakeUpQueue(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()), settings);

    private QueueClient Queue() => new(azurite.ConnectionString, RunnerWakeUp.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private async Task<int> MessagesAsync()
    {
        var queue = Queue();
        return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    [Fact]
    public async Task Jobs_due_now_send_a_message_a_burst_sends_few_and_jobs_for_later_send_none()
    {
        await using var services = Services(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        var store = services.GetRequiredService<JobQueueStore>();
        var sender = services.GetRequiredService<StorageQueueWakeUp>();

        await store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddHours(1)));
        await Task.Delay(StorageQueueWakeUp.Spacing * 4);
        Assert.Equal(0, await MessagesAsync());

        var first = await store.EnqueueAsync(new EnqueueRequest("t"));
        await Eventually.TrueAsync(async () => await MessagesAsync() == 1, "one message for one job", 30);
        var received = (await Queue().ReceiveMessagesAsync(1)).Value;
        Assert.Contains("jobs due", Assert.Single(received).Body.ToString(), StringComparison.Ordinal); // base64 on the wire, as the trigger reads it
        await Queue().DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);

        // a burst: 300 enqueues from 10 producers
        var sw = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= 300)
            {
                await store.EnqueueAsync(new EnqueueRequest("t"));
            }
        })));
        var burst = sw.Elapsed;
        await Task.Delay(StorageQueueWakeUp.Spacing * 4);
        var messages = await MessagesAsync();
        var most = (int)(burst / StorageQueueWakeUp.Spacing) + 2;
        Assert.InRange(messages, 1, most);
        Assert.Equal(sender.Sent, messages + 1);

        // an operator's retry or run-now makes a job due too
        await db.ExecuteAsync("UPDATE job_queue SET status = 'failed', completed_at = now() WHERE id = $1", first);
        await Task.Delay(StorageQueueWakeUp.Spacing * 2);
        var before = sender.Sent;
        Assert.Equal(JobActionOutcome.Ok, (await services.GetRequiredService<JobActionStore>().RetryAsync(first, "op")).Outcome);
        await Eventually.TrueAsync(() => Task.FromResult(sender.Sent == before + 1), "the retry sends one", 30);
    }

    [Fact]
    public void Without_storage_or_when_switched_off_nothing_is_sent_and_nothing_fails()
    {
        using (var none = Services(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "" }))
        {
            Assert.Null(none.GetService<IJobWakeUp>());
            Assert.Null(none.GetService<StorageQueueWakeUp>());
        }

        using var off = Services(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            [WakeUpServiceCollectionExtensions.EnabledKey] = "false",
        });
        Assert.Null(off.GetService<IJobWakeUp>());
    }

    [Fact]
    public void Identity_based_storage_settings_address_the_accounts_queue_endpoint()
    {
        var byAccount = WakeUpQueueConnection.Create(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "stjobqueue",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build());
        Assert.Equal(new Uri("https://stjobqueue.queue.core.windows.net/jobqueue-wakeup"), byAccount!.Uri);

        var byUri = WakeUpQueueConnection.Create(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:queueServiceUri"] = "https://other.queue.core.windows.net",
        }).Build());
        Assert.Equal(new Uri("https://other.queue.core.windows.net/jobqueue-wakeup"), byUri!.Uri);
    }
}
