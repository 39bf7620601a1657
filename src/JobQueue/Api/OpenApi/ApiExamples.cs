using System.Text.Json.Nodes;

namespace JobQueue.Api;

/// <summary>
/// Request examples for the OpenAPI document, taken from the teams' own calls (the seeds): the
/// post-match, admin and cron triggers of the stats pipeline, the Game Platform sync, a runner pass.
/// </summary>
internal static class ApiExamples
{
    private static readonly Dictionary<string, (string Name, string Summary, string Json)[]> ByRoute = new(StringComparer.Ordinal)
    {
        ["AdminJobsEnqueueStats"] =
        [
            ("postMatch", "After a match (the web app's fetch after saving the result)",
                """{"triggeredBy":"post-match","matchId":"8f14e45f-ceea-467f-a8f5-7d2a4c1b9e10","requestId":"0b5c2f36-2a51-4a8f-9c43-5d1f0e8b7a21"}"""),
            ("admin", "The admin page's Update stats button",
                """{"triggeredBy":"admin","requestId":"6e0d8a6c-3f9b-4d7e-8a2b-1c5e9f4d3a70","userId":"admin"}"""),
            ("cron", "The scheduled run", """{"triggeredBy":"cron","requestId":"c4a1b2d3-e5f6-4789-a0b1-c2d3e4f5a6b7"}"""),
        ],
        ["AdminJobsTriggerSync"] =
        [
            ("allCoaches", "Sync every coach's game stats", """{"dryRun":false,"coachId":null}"""),
            ("oneCoachDryRun", "A dry run for one coach", """{"dryRun":true,"coachId":"3f2b8c1e-9d4a-4e6f-b7a5-2c1d0e9f8a7b"}"""),
        ],
        ["AdminJobsTriggerTotalsSweep"] = [("sweep", "Recompute the totals in batches", """{"dryRun":false,"batchSize":100}""")],
        ["JobsRun"] =
        [
            ("pass", "One pass of at most 10 jobs (pg_cron's net.http_post, a scheduler)", """{"limit":10}"""),
            ("drain", "Passes until no due job is left", """{"drain":true}"""),
        ],
        ["AdminJobsEnqueue"] =
        [
            ("httpRequest", "An http_request job", """{"taskType":"http_request","payload":{"url":"https://example.com/api/revalidate","method":"POST"},"maxAttempts":3}"""),
        ],
        ["AdminCronJobsCreate"] =
        [
            ("every5Minutes", "A schedule that enqueues the stats pipeline", """{"jobName":"stats-update","schedule":"*/5 * * * *","taskType":"stats_update","payload":{"triggeredBy":"cron"}}"""),
        ],
        ["AdminCronJobsToggle"] = [("disable", "Disable a schedule", """{"jobName":"stats-update","active":false}""")],
    };

    /// <summary>The route's examples as an OpenAPI <c>examples</c> map, or null.</summary>
    public static JsonObject? For(string routeName)
    {
        if (!ByRoute.TryGetValue(routeName, out var examples))
        {
            return null;
        }

        var map = new JsonObject();
        foreach (var (name, summary, json) in examples)
        {
            map[name] = new JsonObject { ["summary"] = summary, ["value"] = JsonNode.Parse(json) };
        }

        return map;
    }
}
