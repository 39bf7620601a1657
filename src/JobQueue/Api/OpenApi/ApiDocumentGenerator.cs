using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// Writes the OpenAPI 3.1 document of a route table: one operation per route (operationId = the route's
/// name), its parameters (route value, or a GET route's request record as query parameters), its request
/// body (the record's schema, with the seeds' examples), its success answer (the declared response type)
/// and every problem+json answer it can give: the pipeline's own (400 bad input, 401/403 credentials,
/// 413/415 body, 503 outage) and the endpoint's declared 404/409. Security from the route's auth. The
/// same routes always give the same text, so both hosts serve the identical document and the committed
/// <c>openapi.json</c> can be compared.
/// </summary>
public static class ApiDocumentGenerator
{
    public const string Version = "1";

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = ApiJson.Options.Encoder };

    /// <summary>The document as JSON text (indented, "\n" line ends, ending in a newline).</summary>
    public static string Write(IEnumerable<ApiRoute> routes) =>
        Generate(routes).ToJsonString(Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    public static JsonObject Generate(IEnumerable<ApiRoute> routes)
    {
        var schemas = new ApiSchemas();
        var paths = new JsonObject();
        foreach (var group in routes.GroupBy(r => Path(r.Template)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (var route in group.OrderBy(r => r.Method, StringComparer.Ordinal))
            {
                item[route.Method.ToLowerInvariant()] = Operation(route, schemas);
            }

            paths[group.Key] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "JobQueue admin and runner API",
                ["version"] = Version,
                ["description"] = "Generated from the route table (src/JobQueue/Api/ApiRoutes.cs); the server and the Functions app answer the same routes under /api. "
                    + "JSON is camelCase; every error is application/problem+json.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/api" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.ToJson(),
                ["securitySchemes"] = ApiSecuritySchemes.Schemes(),
            },
        };
    }

    /// <summary>The document's path of a template: <c>/dashboard/{path}</c> for the catch-all <c>dashboard/{*path}</c>.</summary>
    public static string Path(string template) => "/" + template.Replace("{*", "{", StringComparison.Ordinal);

    private static JsonObject Operation(ApiRoute route, ApiSchemas schemas)
    {
        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = route.Summary,
            ["tags"] = new JsonArray(Tag(route.Template)),
            ["security"] = ApiSecuritySchemes.For(route.Auth),
        };
        var description = string.Join(" ", new[] { route.Description, route.Audit is { } audit ? $"Recorded in the audit log as {audit.Action}." : null }
            .Where(d => d is not null));
        if (description.Length > 0)
        {
            operation["description"] = description;
        }

        var parameters = new JsonArray();
        if (route.RouteValueName is { } name)
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (route.RequestType is { } requestType && route.RequestSource == ApiRequestSource.Query)
        {
            var required = RequiredFields(route);
            foreach (var (property, schema) in ApiSchemas.Of(requestType)["properties"]?.AsObject() ?? [])
            {
                var parameter = new JsonObject { ["name"] = property, ["in"] = "query" };
                if (required.Contains(property))
                {
                    parameter["required"] = true;
                }

                parameter["schema"] = schema!.DeepClone();
                parameters.Add(parameter);
            }
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.RequestType is { } bodyType && route.RequestSource == ApiRequestSource.Body)
        {
            var media = new JsonObject { ["schema"] = schemas.Ref(bodyType, RequiredFields(route)) };
            if (ApiExamples.For(route.Name) is { } examples)
            {
                media["examples"] = examples;
            }

            operation["requestBody"] = new JsonObject { ["content"] = new JsonObject { ["application/json"] = media } };
        }

        operation["responses"] = Responses(route, schemas);
        return operation;
    }

    /// <summary>The fields the route's binding refuses to miss: those an empty request is refused for.</summary>
    private static List<string> RequiredFields(ApiRoute route)
    {
        if (route.Bind is null)
        {
            return [];
        }

        var fields = new RequestFields(EmptyObject);
        route.Bind(fields, QueryCollection.Empty);
        return fields.FieldsInError.ToList();
    }

    private static JsonObject Responses(ApiRoute route, ApiSchemas schemas)
    {
        var success = new JsonObject { ["description"] = route.SuccessStatus == StatusCodes.Status201Created ? "Created" : "OK" };
        var successSchema = route.ResponseType is { } responseType ? schemas.Ref(responseType) : new JsonObject();
        success["content"] = new JsonObject { [route.ResponseMediaType] = new JsonObject { ["schema"] = successSchema } };
        var responses = new JsonObject { [Status(route.SuccessStatus)] = success };
        foreach (var (status, reason) in Problems(route))
        {
            responses[Status(status)] = new JsonObject
            {
                ["description"] = reason,
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = ApiSchemas.RefTo(ApiSchemas.Problem) } },
            };
        }

        return responses;
    }

    private static IEnumerable<(int Status, string Reason)> Problems(ApiRoute route)
    {
        var problems = new SortedDictionary<int, string>();
        var hasBody = !HttpMethods.IsGet(route.Method);
        if (hasBody || route.RequestType is not null || route.RouteValueName is not null && route.Auth != ApiAuth.Public)
        {
            problems[400] = "Bad input: errors names each field";
        }

        if (route.Auth != ApiAuth.Public)
        {
            problems[401] = "Missing or wrong credentials (WWW-Authenticate: Bearer)";
            problems[503] = "The database (or the secret store) is unavailable: retry after Retry-After";
        }

        if (route.Auth == ApiAuth.Admin)
        {
            problems[403] = "A signed-in principal without the admin role";
        }

        if (hasBody)
        {
            problems[413] = "The body is over 64 KiB";
            problems[415] = "The body is not Content-Type: application/json";
        }

        foreach (var status in route.ErrorStatuses)
        {
            problems[status] = status switch
            {
                404 => "Not found",
                409 => "The current state does not allow it (nothing changed)",
                _ => "Refused",
            };
        }

        return problems.Select(p => (p.Key, p.Value));
    }

    private static string Tag(string template)
    {
        var segments = template.Split('/');
        return segments[0] == "admin" && segments.Length > 1 ? segments[1] : segments[0];
    }

    private static string Status(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
