using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// The host's listener for one queue-triggered function, as the Storage Queues extension runs it:
/// polls the queue named in the trigger binding (the connection named there, from the app settings),
/// with the interval of <c>host.json</c>'s <c>extensions.queues.maxPollingInterval</c> once the queue
/// is empty (at once again after a message), receives a message invisibly, decodes it (base64, the
/// extension's default <c>messageEncoding</c>), invokes the function with it as the trigger input and
/// the host's trigger metadata (Id, DequeueCount, PopReceipt, InsertionTime, ExpirationTime,
/// NextVisibleTime, QueueTrigger), deletes it when the invocation succeeded and leaves it to come back
/// otherwise (after <c>maxDequeueCount</c> tries: the poison queue <c>&lt;queue&gt;-poison</c>). Each
/// invocation is recorded in <see cref="Invocations"/>. Several messages run concurrently (up to
/// <c>batchSize</c>, 16 by default), as on the host.
/// </summary>
public sealed class QueueTriggerListener : IAsyncDisposable
{
    private readonly FunctionsHost host;
    private readonly LoadedFunction function;
    private readonly QueueClient queue;
    private readonly QueueClient poison;
    private readonly TimeSpan maxPollingInterval;
    private readonly int batchSize;
    private readonly int maxDequeueCount;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<QueueInvocation> invocations = new();
    private readonly Task polling;

    private QueueTriggerListener(FunctionsHost host, LoadedFunction function, QueueClient queue, QueueClient poison, JsonElement? settings)
    {
        this.host = host;
        this.function = function;
        this.queue = queue;
        this.poison = poison;
        maxPollingInterval = Setting(settings, "maxPollingInterval", TimeSpan.Parse, TimeSpan.FromMinutes(1));
        batchSize = Setting(settings, "batchSize", int.Parse, 16);
        maxDequeueCount = Setting(settings, "maxDequeueCount", int.Parse, 5);
        polling = Task.Run(PollAsync);
    }

    public string QueueName => queue.Name;

    public TimeSpan MaxPollingInterval => maxPollingInterval;

    /// <summary>Every invocation so far, in the order they finished.</summary>
    public IReadOnlyList<QueueInvocation> Invocations => invocations.ToList();

    /// <summary>Starts listening for <paramref name="functionName"/>'s queue with the connection its binding names.</summary>
    public static async Task<QueueTriggerListener> StartAsync(FunctionsHost host, string functionName)
    {
        var function = host.Function(functionName);
        var trigger = function.Trigger.Value;
        if (!trigger.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{functionName} is triggered by {trigger.Type}, not by a queue", nameof(functionName));
        }

        using var binding = JsonDocument.Parse(function.Metadata.RawBindings.Single(b => b.Contains("queueTrigger", StringComparison.OrdinalIgnoreCase)));
        var queueName = binding.RootElement.GetProperty("queueName").GetString()!;
        var connection = binding.RootElement.TryGetProperty("connection", out var c) ? c.GetString()! : "AzureWebJobsStorage";
        var connectionString = host.Options.Settings.TryGetValue(connection, out var value)
            ? value
            : throw new InvalidOperationException($"{functionName}: no app setting {connection} for its queue");

        var queue = new QueueClient(connectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poison = new QueueClient(connectionString, queueName + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        return new QueueTriggerListener(host, function, queue, poison, QueueSettings(host.Options.App));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task PollAsync()
    {
        var running = new List<Task>();
        var wait = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            QueueMessage[] messages = [];
            try
            {
                if (running.Count < batchSize)
                {
                    messages = (await queue.ReceiveMessagesAsync(batchSize - running.Count, TimeSpan.FromMinutes(5), stop.Token)).Value;
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // storage unreachable for a moment: poll again later, as the host does
            }
            catch (OperationCanceledException)
            {
                break;
            }

            foreach (var message in messages)
            {
                running.Add(InvokeAsync(message));
            }

            // the extension's back-off: at once again after a message, doubling to maxPollingInterval when empty
            wait = messages.Length > 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, maxPollingInterval.Ticks));
            try
            {
                await Task.Delay(messages.Length > 0 ? TimeSpan.Zero : wait, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task InvokeAsync(QueueMessage message)
    {
        var started = DateTimeOffset.UtcNow;
        var text = message.Body.ToString();
        var metadata = new Dictionary<string, TypedData>
        {
            ["QueueTrigger"] = new() { String = text },
            ["Id"] = Json(message.MessageId),
            ["PopReceipt"] = Json(message.PopReceipt),
            ["DequeueCount"] = new() { Json = message.DequeueCount.ToString(CultureInfo.InvariantCulture) },
            ["InsertionTime"] = Json(message.InsertedOn),
            ["ExpirationTime"] = Json(message.ExpiresOn),
            ["NextVisibleTime"] = Json(message.NextVisibleOn),
        };

        InvocationResponse? response = null;
        try
        {
            response = await host.InvokeAsync(
                function.Name, [new ParameterBinding { Name = function.Trigger.Key, Data = new TypedData { String = text } }], metadata,
                cancellationToken: stop.Token);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            // the worker went away: the message comes back after its visibility timeout
        }
        catch (OperationCanceledException)
        {
        }

        var succeeded = response?.Result.Status == StatusResult.Types.Status.Success;
        invocations.Enqueue(new QueueInvocation(message.MessageId, message.DequeueCount, text, started, DateTimeOffset.UtcNow, succeeded));
        try
        {
            if (succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= maxDequeueCount)
            {
                await poison.CreateIfNotExistsAsync();
                await poison.SendMessageAsync(text);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }
        catch (Exception)
        {
            // the message comes back after its visibility timeout all the same
        }
    }

    private static TypedData Json<T>(T value) => new() { Json = JsonSerializer.Serialize(value) };

    /// <summary><c>host.json</c>'s <c>extensions.queues</c> section, if any.</summary>
    private static JsonElement? QueueSettings(FunctionsAppBuild app)
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(app.HostJsonPath));
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var queues)
            ? queues.Clone()
            : null;
    }

    private static T Setting<T>(JsonElement? section, string name, Func<string, T> parse, T fallback)
    {
        if (section is not { } s)
        {
            return fallback;
        }

        foreach (var property in s.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return parse(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
            }
        }

        return fallback;
    }
}

/// <summary>One queue-triggered invocation: the message, when it ran, whether it succeeded.</summary>
public sealed record QueueInvocation(string MessageId, long DequeueCount, string Message, DateTimeOffset Started, DateTimeOffset Finished, bool Succeeded);
