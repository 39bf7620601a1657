using System.Collections.Concurrent;

namespace JobQueue.FunctionsTestHost;

/// <summary>The workers that have opened their event stream (StartStream), by worker id.</summary>
internal sealed class WorkerConnections
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WorkerStream>> streams = new(StringComparer.Ordinal);

    public void Accept(WorkerStream stream) => Slot(stream.WorkerId).TrySetResult(stream);

    /// <summary>Completes with the stream of <paramref name="workerId"/> once its StartStream arrived.</summary>
    public Task<WorkerStream> WaitForAsync(string workerId, CancellationToken cancellationToken) =>
        Slot(workerId).Task.WaitAsync(cancellationToken);

    private TaskCompletionSource<WorkerStream> Slot(string workerId) =>
        streams.GetOrAdd(workerId, _ => new TaskCompletionSource<WorkerStream>(TaskCreationOptions.RunContinuationsAsynchronously));
}
