using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// One worker's <c>FunctionRpc.EventStream</c>, from the host's side: requests go out with a fresh
/// <c>request_id</c> and complete with the worker's message that echoes it (the dotnet worker answers
/// every request that way); the worker's <c>RpcLog</c> messages are kept.
/// </summary>
public sealed class WorkerStream : IDisposable
{
    private const int KeptLogs = 500;

    private readonly IServerStreamWriter<StreamingMessage> writer;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> pending = new();
    private readonly ConcurrentQueue<RpcLog> logs = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal WorkerStream(string workerId, IServerStreamWriter<StreamingMessage> writer)
    {
        WorkerId = workerId;
        this.writer = writer;
    }

    public string WorkerId { get; }

    /// <summary>The last log messages the worker sent (its ILogger output goes to the host this way).</summary>
    public IReadOnlyList<RpcLog> Logs => logs.ToList();

    /// <summary>Completes when the worker's side of the stream has ended.</summary>
    public Task Closed => closed.Task;

    /// <summary>Sends <paramref name="message"/> and waits for the worker's answer to it.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        message.RequestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[message.RequestId] = answer;
        try
        {
            await SendAsync(message, cancellationToken);
            return await answer.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the worker did not answer {message.ContentCase} within {timeout}");
        }
        finally
        {
            pending.TryRemove(message.RequestId, out _);
        }
    }

    /// <summary>Sends a message that has no answer (e.g. WorkerTerminate).</summary>
    public async Task SendAsync(StreamingMessage message, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await writer.WriteAsync(message, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Reads the worker's messages until its side ends; the gRPC call lasts as long as this.</summary>
    internal async Task ReadUntilClosedAsync(IAsyncStreamReader<StreamingMessage> reader, CancellationToken cancellationToken)
    {
        try
        {
            while (await reader.MoveNext(cancellationToken))
            {
                Dispatch(reader.Current);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Grpc.Core.RpcException)
        {
            // the worker went away (terminated, killed): the same as the end of its stream
        }
        finally
        {
            closed.TrySetResult();
            foreach (var answer in pending.Values)
            {
                answer.TrySetException(new IOException($"worker {WorkerId} closed its stream before answering"));
            }
        }
    }

    public void Dispose() => writeLock.Dispose();

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            logs.Enqueue(message.RpcLog);
            while (logs.Count > KeptLogs && logs.TryDequeue(out _))
            {
            }

            return;
        }

        if (pending.TryGetValue(message.RequestId, out var answer))
        {
            answer.TrySetResult(message);
        }
    }
}
