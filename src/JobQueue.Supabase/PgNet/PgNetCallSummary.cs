using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobQueue.PgNet;

/// <summary>
/// What the pg_net list shows of a call: fields parsed from the command, never its text, a header's
/// value or a body's values. <see cref="Url"/> is scheme, host and path (a query's values may be keys:
/// only <see cref="QueryParameters"/>' names are shown); <see cref="HeaderNames"/> the headers it sends;
/// <see cref="BodyShape"/> the body's JSON structure with each value replaced by its type
/// (<c>{"kind": "string", "limit": "number"}</c>). The secrets it reads are named by the conversion
/// (<see cref="PgNetSecret"/>).
/// </summary>
public sealed record PgNetCallSummary(
    string? Method, string? Url, IReadOnlyList<string> QueryParameters, IReadOnlyList<string> HeaderNames, JsonNode? BodyShape, int? TimeoutSeconds)
{
    public static PgNetCallSummary Of(PgNetConversion conversion)
    {
        var parsed = conversion.Parsed;
        if (parsed is null)
        {
            return new PgNetCallSummary(null, null, [], [], null, null);
        }

        string? url = null;
        IReadOnlyList<string> query = [];
        if (parsed["url"] is JsonValue u && u.TryGetValue<string>(out var text) && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https")
        {
            url = uri.GetLeftPart(UriPartial.Path);
            query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => Uri.UnescapeDataString(pair.Split('=')[0]))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        IReadOnlyList<string> headers = parsed["headers"] is JsonObject h ? h.Select(p => p.Key).ToList() : [];
        var timeout = parsed["timeoutSeconds"] is JsonValue t && t.TryGetValue<int>(out var seconds) ? seconds : (int?)null;
        return new PgNetCallSummary(
            parsed["method"]?.GetValue<string>(), url, query, headers, parsed.ContainsKey("body") ? Shape(parsed["body"]) : null, timeout);
    }

    /// <summary>The node's structure: objects and arrays kept, every value replaced by its JSON type.</summary>
    public static JsonNode Shape(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Shape(p.Value)))),
        JsonArray a => new JsonArray(a.Select(item => (JsonNode?)Shape(item)).ToArray()),
        _ => JsonValue.Create(node?.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        })!,
    };
}
