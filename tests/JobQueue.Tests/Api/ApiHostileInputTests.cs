using JobQueue.Tests.Infrastructure;
using System.Text;
using JobQueue.Api;

namespace JobQueue.Tests.Api;

/// <summary>
/// Hundreds of hostile requests on every route that reads input: every field with every JSON type
/// and edge value, and random bytes. Never a 5xx; every rejection changes nothing.
/// </summary>
public sealed class ApiHostileInputTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly string[] Values =
    [
        "1", "-1", "0", "2147483648", "9223372036854775808", "1e309", "-1e309", "0.5", "\"x\"", "\"\"", "true", "false", "null",
        "[]", "{}", "[{\"a\":1}]", "{\"a\":{\"b\":[1,2,{}]}}", "\"\\u0000\"", "\"\\ud800\"", "\"" + new string('z', 10_000) + "\"",
        "\"2030-13-45T99:00:00Z\"", "\"2030-01-01T00:00:00Z\"", "\"'; DROP TABLE job_queue; --\"", "\"<script>\"",
    ];

    private static readonly Dictionary<string, string[]> FieldsByRoute = new()
    {
        ["JobsRun"] = ["limit", "force"],
        ["AdminSettingsPut"] = ["processingEnabled", "pausedReason"],
        ["AdminJobsEnqueue"] = ["taskType", "payload", "runAt", "maxAttempts", "dedupeKey"],
        ["AdminJobsTriggerSync"] = ["dryRun", "coachId"],
        ["AdminJobsTriggerTotalsSweep"] = ["dryRun", "coachId", "batchSize"],
        ["AdminJobsCancel"] = ["reason"],
        ["AdminJobsRetry"] = ["reason"],
        ["AdminJobsRunNow"] = ["reason"],
        ["AdminJobsBulkRetry"] = ["status", "taskType", "createdAfter", "createdBefore", "q", "dryRun"],
        ["AdminJobsBulkCancel"] = ["status", "taskType", "createdAfter", "createdBefore", "q", "dryRun", "reason"],
    };

    public static TheoryData<string> Routes()
    {
        var data = new TheoryData<string>();
        foreach (var name in FieldsByRoute.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_field_with_every_type_never_gives_a_5xx_and_rejections_change_nothing(string routeName)
    {
        var route = ComposedApp.Routes.Single(r => r.Name == routeName);
        var count = 0;
        foreach (var field in FieldsByRoute[routeName])
        {
            foreach (var value in Values)
            {
                var rest = routeName == "AdminJobsEnqueue" && field != "taskType" ? ",\"taskType\":\"test_echo\"" : "";
                await SendAsync(route, $"{{\"{field}\":{value}{rest}}}");
                count++;
            }
        }

        Assert.True(count >= 24);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Random_and_truncated_bodies_never_give_a_5xx(string routeName)
    {
        var route = ComposedApp.Routes.Single(r => r.Name == routeName);
        var random = new Random(routeName.Length);
        var valid = "{\"limit\":5,\"taskType\":\"test_echo\",\"payload\":{\"count\":1},\"processingEnabled\":true}";
        for (var i = 0; i < 25; i++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            await SendAsync(route, Encoding.Latin1.GetString(bytes));
            await SendAsync(route, valid[..random.Next(1, valid.Length - 1)]);
        }
    }

    private async Task SendAsync(ApiRoute route, string body)
    {
        var credentials = route.Auth == ApiAuth.Runner ? Credentials.Runner : Credentials.Admin;
        var before = await fixture.Api.SnapshotAsync();
        using var response = await fixture.Api.SendAsync(new HttpMethod(route.Method), fixture.PathOf(route), body, credentials);
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{route.Name} {body[..Math.Min(body.Length, 200)]}: {status} {await response.Content.ReadAsStringAsync()}");
        if (status >= 400)
        {
            Assert.Equal(before, await fixture.Api.SnapshotAsync());
        }
    }
}
