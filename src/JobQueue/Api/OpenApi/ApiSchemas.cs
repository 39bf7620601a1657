using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace JobQueue.Api;

/// <summary>
/// The OpenAPI document's <c>components.schemas</c>: each declared request or response type's JSON
/// schema as <see cref="ApiJson.Options"/> writes it (System.Text.Json's <see cref="JsonSchemaExporter"/>),
/// under the type's name, and the problem+json body every error has.
/// </summary>
internal sealed class ApiSchemas
{
    public const string Problem = "ProblemDetails";

    /// <remarks>"Any JSON" (a payload, a <see cref="JsonElement"/>) is the empty schema <c>{}</c>, not <c>true</c>: OpenAPI readers expect objects.</remarks>
    private static readonly JsonSchemaExporterOptions Exporter = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (_, schema) => schema.GetValueKind() == JsonValueKind.True ? new JsonObject() : schema,
    };

    /// <summary>The API's JSON conventions (<see cref="ApiJson.Options"/>), with the reflection resolver the exporter needs.</summary>
    /// <remarks>Numbers are JSON numbers on the wire (the web defaults would also allow strings).</remarks>
    private static readonly JsonSerializerOptions Json = new(ApiJson.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    private readonly SortedDictionary<string, JsonNode> _schemas = new(StringComparer.Ordinal)
    {
        [Problem] = JsonNode.Parse("""
            {
              "type": "object",
              "description": "RFC 7807 problem details; a 400 names each bad field in errors (camelCase; a header by its name)",
              "properties": {
                "type": { "type": "string" },
                "title": { "type": "string" },
                "status": { "type": "integer" },
                "detail": { "type": "string" },
                "errors": { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } } }
              }
            }
            """)!,
    };

    /// <summary>A <c>$ref</c> to <paramref name="type"/>'s schema, added on first use.</summary>
    public JsonObject Ref(Type type) => Ref(type, null);

    /// <summary>
    /// A <c>$ref</c> to a request record's schema, whose <c>required</c> are <paramref name="required"/>
    /// (what its binding refuses to miss), not every constructor parameter.
    /// </summary>
    public JsonObject Ref(Type type, IReadOnlyCollection<string>? required)
    {
        if (!_schemas.ContainsKey(type.Name))
        {
            var schema = Of(type);
            if (required is not null)
            {
                schema.Remove("required");
                if (required.Count > 0)
                {
                    schema["required"] = new JsonArray(required.Order(StringComparer.Ordinal).Select(r => (JsonNode)r).ToArray());
                }
            }

            _schemas[type.Name] = schema;
        }

        return RefTo(type.Name);
    }

    /// <summary>The schema of <paramref name="type"/>'s properties, for a GET route's query parameters.</summary>
    public static JsonObject Of(Type type) => JsonSchemaExporter.GetJsonSchemaAsNode(Json, type, Exporter).AsObject();

    public static JsonObject RefTo(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    public JsonObject ToJson()
    {
        var schemas = new JsonObject();
        foreach (var (name, schema) in _schemas)
        {
            schemas[name] = schema.DeepClone();
        }

        return schemas;
    }
}
