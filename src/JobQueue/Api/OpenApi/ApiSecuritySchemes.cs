using System.Text.Json.Nodes;

namespace JobQueue.Api;

/// <summary>
/// The OpenAPI document's security schemes and each kind of route's requirement. On the Functions app a
/// function key (<c>x-functions-key</c> header or <c>code</c> query) is needed besides the admin token or
/// runner secret; the server needs none, hence the alternatives.
/// </summary>
internal static class ApiSecuritySchemes
{
    public static JsonObject Schemes() => new()
    {
        ["adminToken"] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["description"] = "The admin token (secret JobQueue admin token) as Authorization: Bearer; behind App Service authentication also a signed-in principal with the admin role.",
        },
        ["runnerSecret"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = ApiAuthenticator.RunnerSecretHeader,
            ["description"] = "The runner secret (current or previous version).",
        },
        ["runnerBearer"] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["description"] = "The runner secret as Authorization: Bearer (what Vercel Cron sends as $CRON_SECRET).",
        },
        ["functionKey"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "x-functions-key",
            ["description"] = "Azure Functions only: a function or host key.",
        },
        ["functionKeyQuery"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "query",
            ["name"] = "code",
            ["description"] = "Azure Functions only: a function or host key in the query string.",
        },
    };

    /// <summary>The route's requirement: alternatives, each the credential alone (server) or with a function key (Functions).</summary>
    public static JsonArray For(ApiAuth auth)
    {
        string[] credentials = auth switch
        {
            ApiAuth.Admin => ["adminToken"],
            ApiAuth.Runner => ["runnerSecret", "runnerBearer"],
            _ => [],
        };
        var alternatives = new JsonArray();
        foreach (var credential in credentials)
        {
            alternatives.Add(new JsonObject { [credential] = new JsonArray() });
            foreach (var key in new[] { "functionKey", "functionKeyQuery" })
            {
                alternatives.Add(new JsonObject { [credential] = new JsonArray(), [key] = new JsonArray() });
            }
        }

        return alternatives;
    }
}
