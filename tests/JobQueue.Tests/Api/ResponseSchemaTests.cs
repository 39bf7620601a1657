using System.Text.Json;
using System.Text.Json.Nodes;
using JobQueue.Api;
using JobQueue.Cron;
using JobQueue.Tests.Functions;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Api;

/// <summary>
/// The declared response types are what the routes really send: real answers of the server, walked
/// object by object (nested objects and array items too), have exactly the properties of the OpenAPI
/// document's response schema at that place, so that the schema (and the TypeScript client) cannot drift.
/// </summary>
public sealed class ResponseSchemaTests : ApiServerTest
{
    private static readonly JsonObject Document = JsonNode.Parse(ApiDocumentGenerator.Write(ComposedApp.Routes))!.AsObject();

    public override async Task DisposeAsync()
    {
        // install-standing scheduled pg_cron jobs into this database
        await CronTestDatabase.DeleteJobsAsync(Api.Services.GetRequiredService<CronJobStore>(), Db.Name, "none-");
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_job_list_and_one_job_with_its_attempts_and_wait_match_their_schemas()
    {
        var ran = await EnqueueAsync("{}");
        await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"limit\":5}", Credentials.Runner, 200);
        var pending = await EnqueueAsync("{}");
        await Api.JsonAsync(HttpMethod.Post, "/api/admin/task-limits/pause",
            $$"""{"taskType":"{{EchoHandler.Name}}","seconds":600,"reason":"schema test"}""", Credentials.Admin, 200);

        var list = await AssertMatchesAsync("AdminJobsList", "/api/admin/jobs?limit=10");
        Assert.Equal(2, list.GetProperty("jobs").GetArrayLength());
        var detail = await AssertMatchesAsync("AdminJobsGet", $"/api/admin/jobs/{ran}");
        Assert.NotEqual(0, detail.GetProperty("attemptHistory").GetArrayLength());
        var waiting = await AssertMatchesAsync("AdminJobsGet", $"/api/admin/jobs/{pending}");
        Assert.Equal(JsonValueKind.Object, waiting.GetProperty("wait").ValueKind);
    }

    [Fact]
    public async Task Health_task_limits_and_trigger_actions_match_their_schemas()
    {
        await EnqueueAsync("{}");
        await Api.JsonAsync(HttpMethod.Post, "/api/admin/task-limits/pause",
            $$"""{"taskType":"{{EchoHandler.Name}}","seconds":600,"reason":"schema test"}""", Credentials.Admin, 200);

        var health = await AssertMatchesAsync("AdminHealth", "/api/admin/job-queue/health");
        Assert.NotEqual(0, health.GetProperty("pausedTaskTypes").GetArrayLength());
        var limits = await AssertMatchesAsync("AdminTaskLimitsList", "/api/admin/task-limits");
        Assert.Contains(limits.GetProperty("taskTypes").EnumerateArray(), t => t.GetProperty("limits").ValueKind == JsonValueKind.Object);
        var actions = await AssertMatchesAsync("AdminTriggerActions", "/api/admin/trigger-actions");
        Assert.NotEqual(0, actions.GetProperty("actions").GetArrayLength());
    }

    [Fact]
    public async Task The_cron_routes_match_their_schemas()
    {
        var installed = await AssertMatchesAsync("AdminCronJobsInstallStanding", "/api/admin/cron-jobs/install-standing", HttpMethod.Post);
        var name = installed.GetProperty("results")[0].GetProperty("jobName").GetString()!;
        await AssertMatchesAsync("AdminCronJobsRun", $"/api/admin/cron-jobs/{Uri.EscapeDataString(name)}/run", HttpMethod.Post);
        var list = await AssertMatchesAsync("AdminCronJobsList", "/api/admin/cron-jobs?limit=20");
        Assert.NotEqual(0, list.GetProperty("jobs").GetArrayLength());
    }

    private async Task<Guid> EnqueueAsync(string payload)
    {
        var enqueued = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs",
            $$"""{"taskType":"{{EchoHandler.Name}}","payload":{{payload}} }""", Credentials.Admin, 201);
        return enqueued.GetProperty("jobId").GetGuid();
    }

    private async Task<JsonElement> AssertMatchesAsync(string routeName, string path, HttpMethod? method = null)
    {
        var route = ComposedApp.Routes.Single(r => r.Name == routeName);
        Assert.NotNull(route.ResponseType);
        var answer = await Api.JsonAsync(method ?? HttpMethod.Get, path, null, Credentials.Admin, route.SuccessStatus);
        var operation = Document["paths"]![ApiDocumentGenerator.Path(route.Template)]![route.Method.ToLowerInvariant()]!;
        var schema = operation["responses"]![route.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]!["application/json"]!["schema"]!;
        AssertMatches(answer, schema, routeName);
        return answer;
    }

    /// <summary>Every object of <paramref name="value"/> has exactly its schema's properties; arrays and maps are walked item by item.</summary>
    private static void AssertMatches(JsonElement value, JsonNode schema, string at)
    {
        schema = Resolve(schema);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when schema["properties"] is JsonObject properties:
                Assert.True(
                    properties.Select(p => p.Key).Order(StringComparer.Ordinal).SequenceEqual(value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)),
                    $"{at}: the answer has [{string.Join(", ", value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal))}], "
                    + $"the schema [{string.Join(", ", properties.Select(p => p.Key).Order(StringComparer.Ordinal))}]");
                foreach (var property in value.EnumerateObject())
                {
                    AssertMatches(property.Value, properties[property.Name]!, at + "." + property.Name);
                }

                break;
            case JsonValueKind.Object when schema["additionalProperties"] is JsonObject values:
                foreach (var property in value.EnumerateObject())
                {
                    AssertMatches(property.Value, values, at + "." + property.Name);
                }

                break;
            case JsonValueKind.Array when schema["items"] is JsonNode items:
                foreach (var item in value.EnumerateArray())
                {
                    AssertMatches(item, items, at + "[]");
                }

                break;
        }
    }

    private static JsonNode Resolve(JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
            ? Document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;
}
