using Grpc.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// The host's <c>FunctionRpc</c> service: a worker connects, opens <c>EventStream</c> and sends
/// <c>StartStream</c> with its worker id first; the call then stays open for the worker's lifetime.
/// </summary>
internal sealed class FunctionRpcService(WorkerConnections connections) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.InvalidArgument, "the first message of an event stream must be StartStream"));
        }

        var stream = new WorkerStream(requestStream.Current.StartStream.WorkerId, responseStream);
        connections.Accept(stream);
        await stream.ReadUntilClosedAsync(requestStream, context.CancellationToken);
    }
}
