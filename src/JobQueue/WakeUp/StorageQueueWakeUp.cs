using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.Logging;

namespace JobQueue.WakeUp;

/// <summary>
/// Sends a message to the wake-up queue after jobs became due through the app, so that the Functions
/// app's queue trigger (<see cref="RunnerWakeUp.FunctionName"/>) runs a draining pass within about a
/// second instead of at the next runner timer tick. Sends are coalesced: at most one is in flight, at
/// most one every <see cref="Spacing"/>, and all the wake-ups asked for meanwhile become one message
/// (a burst of enqueues sends few). Sending happens in the background: an enqueue never waits for it,
/// and a failed send (storage unreachable) is logged (at most once a minute) and otherwise ignored:
/// the timer still runs the job.
/// </summary>
public sealed partial class StorageQueueWakeUp : IJobWakeUp, IAsyncDisposable
{
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly QueueClient queue;
    private readonly TimeProvider time;
    private readonly ILogger<StorageQueueWakeUp> logger;
    private readonly WakeSignal signal = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task sending;
    private int requested;
    private int disposed;
    private long sent;
    private bool queueChecked;
    private DateTimeOffset lastFailureLogged = DateTimeOffset.MinValue;

    public StorageQueueWakeUp(QueueClient queue, TimeProvider time, ILogger<StorageQueueWakeUp> logger)
    {
        this.queue = queue;
        this.time = time;
        this.logger = logger;
        sending = Task.Run(SendLoopAsync);
    }

    /// <summary>Messages sent so far (tests, benchmarks).</summary>
    public long Sent => Interlocked.Read(ref sent);

    public void JobsDue()
    {
        if (Interlocked.Exchange(ref requested, 1) == 0)
        {
            signal.Set();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return; // registered as itself and as IJobWakeUp: disposed twice
        }

        await stop.CancelAsync();
        signal.Set();
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            await signal.WaitAsync();
            if (Interlocked.Exchange(ref requested, 0) == 0 || stop.IsCancellationRequested)
            {
                continue;
            }

            await SendAsync();
            try
            {
                await Task.Delay(Spacing, time, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync()
    {
        var message = JsonSerializer.Serialize(new { reason = "jobs due", sentAt = time.GetUtcNow() });
        try
        {
            if (!queueChecked)
            {
                // Bicep creates it; locally (Azurite) the first send creates it
                await queue.CreateIfNotExistsAsync(cancellationToken: stop.Token);
                queueChecked = true;
            }

            await queue.SendMessageAsync(message, stop.Token);
            Interlocked.Increment(ref sent);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or HttpRequestException
                                      or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException
                                      or TaskCanceledException)
        {
            queueChecked = false;
            var now = time.GetUtcNow();
            if (now - lastFailureLogged >= FailureLogInterval)
            {
                lastFailureLogged = now;
                LogSendFailed(logger, RunnerWakeUp.QueueName, e.GetType().Name, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning,
        Message = "Wake-up message to queue {Queue} not sent ({ErrorType}): {Error}; due jobs start at the next runner timer tick instead (logged at most once a minute)")]
    private static partial void LogSendFailed(ILogger logger, string queue, string errorType, string error);
}
