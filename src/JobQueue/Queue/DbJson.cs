using System.Text.Json;

namespace JobQueue.Queue;

/// <summary>Reads the json/jsonb text the queue's RPCs return into detached <see cref="JsonElement"/>s.</summary>
public static class DbJson
{
    /// <summary><c>{}</c>, shared (the payload of most jobs).</summary>
    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static JsonElement Parse(string json)
    {
        if (json == "{}")
        {
            return EmptyObject;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>Null when <paramref name="json"/> cannot be read; the first such error is kept in <paramref name="readError"/>.</summary>
    public static JsonElement? TryParse(string json, string what, ref string? readError)
    {
        try
        {
            return Parse(json);
        }
        catch (JsonException e)
        {
            readError ??= $"the {what} cannot be read ({json.Length} characters): {e.Message}";
            return null;
        }
    }
}
