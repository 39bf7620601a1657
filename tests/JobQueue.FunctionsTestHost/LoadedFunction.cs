using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>A function the worker indexed and loaded: its id for invocations and its metadata.</summary>
public sealed record LoadedFunction(string FunctionId, RpcFunctionMetadata Metadata)
{
    public string Name => Metadata.Name;

    /// <summary>The trigger binding's name and info (the binding whose type ends in <c>Trigger</c>).</summary>
    public KeyValuePair<string, BindingInfo> Trigger =>
        Metadata.Bindings.Single(b => b.Value.Direction == BindingInfo.Types.Direction.In
                                      && b.Value.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
}
