using System.Text.Json.Nodes;

namespace JobQueue.FunctionsTestHost;

/// <summary>One function of <c>functions.metadata</c>: its name, entry point and raw bindings.</summary>
public sealed record FunctionMetadataEntry(string Name, string EntryPoint, string ScriptFile, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>The one binding whose type ends in <c>Trigger</c> (httpTrigger, timerTrigger, queueTrigger, ...).</summary>
    public JsonObject Trigger => Bindings.Single(b => TypeOf(b).EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    public string TriggerType => TypeOf(Trigger);

    public static string TypeOf(JsonObject binding) => binding["type"]?.GetValue<string>() ?? "";
}

/// <summary>Reads the <c>functions.metadata</c> file that the Worker SDK generates at build time.</summary>
public static class FunctionMetadataFile
{
    public static IReadOnlyList<FunctionMetadataEntry> Read(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Select(node => node!.AsObject())
            .Select(function => new FunctionMetadataEntry(
                function["name"]!.GetValue<string>(),
                function["entryPoint"]!.GetValue<string>(),
                function["scriptFile"]!.GetValue<string>(),
                function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList()))
            .ToList();
}
