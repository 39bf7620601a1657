using System.Net;
using System.Text.Json;
using JobQueue.Api;
using JobQueue.Composition;
using JobQueue.Scheduling;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Composition;

/// <summary>
/// The engine apart from the team's jobs (issue 26): the engine's assembly knows none of the modules, and a
/// server built with <c>AddJobQueue</c> alone has no Game Platform route, task type, schedule or button,
/// while the same server composed with every module has them.
/// </summary>
public sealed class EngineAloneTests : IAsyncLifetime
{
    private static readonly string[] ModuleAssemblies = ["JobQueue.Jobs", "JobQueue.GamePlatform", "JobQueue.Supabase"];

    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await db.DisposeAsync();

    [Fact]
    public void The_engine_assembly_references_no_module_assembly()
    {
        var engine = typeof(JobQueueBuilder).Assembly;
        Assert.Equal("JobQueue", engine.GetName().Name);
        Assert.DoesNotContain(engine.GetReferencedAssemblies(), a => ModuleAssemblies.Contains(a.Name));

        // and each module is an assembly of its own that the hosts compose
        Assert.Equal("JobQueue.GamePlatform", typeof(GamePlatformBuilderExtensions).Assembly.GetName().Name);
        Assert.Equal("JobQueue.Jobs", typeof(JobTypesBuilderExtensions).Assembly.GetName().Name);
        Assert.Equal("JobQueue.Supabase", typeof(SupabaseBuilderExtensions).Assembly.GetName().Name);
    }

    [Fact]
    public async Task A_server_with_the_engine_alone_serves_no_game_platform_route_task_type_schedule_or_button()
    {
        await using var api = await ApiTestServer.StartAsync(db, engineOnly: true);

        using var trigger = await api.SendAsync(HttpMethod.Post, "/api/admin/jobs/trigger-sync", "{}", Credentials.Admin);
        // no such route: 404, or 405 where the path matches GET admin/jobs/{id}
        Assert.Contains(trigger.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        using var pgNet = await api.SendAsync(HttpMethod.Get, "/api/admin/cron-jobs/pg-net", null, Credentials.Admin);
        Assert.Contains(pgNet.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });

        var taskTypes = await api.JsonAsync(HttpMethod.Get, "/api/admin/task-types", null, Credentials.Admin, 200);
        Assert.Equal([EchoHandler.Name], taskTypes.GetProperty("taskTypes").EnumerateArray().Select(t => t.GetString()));
        var actions = await api.JsonAsync(HttpMethod.Get, "/api/admin/trigger-actions", null, Credentials.Admin, 200);
        Assert.Equal(0, actions.GetProperty("actions").GetArrayLength());

        var routes = api.Services.GetRequiredService<ApiRouteTable>().All;
        Assert.Equal(ApiRoutes.All.Count, routes.Count);
        Assert.Equal(Schedules.All, api.Services.GetRequiredService<ScheduleTable>().All);
        Assert.Empty(api.Services.GetRequiredService<ScheduleTable>().Standing);
    }

    [Fact]
    public async Task The_same_server_with_every_module_serves_the_game_platform_trigger_and_lists_its_buttons()
    {
        await using var api = await ApiTestServer.StartAsync(db);

        var triggered = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/trigger-sync", "{\"dryRun\":true}", Credentials.Admin, 200);
        Assert.True(triggered.GetProperty("success").GetBoolean());
        var taskTypes = (await api.JsonAsync(HttpMethod.Get, "/api/admin/task-types", null, Credentials.Admin, 200))
            .GetProperty("taskTypes").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("game_platform_sync", taskTypes);
        Assert.Contains("http_request", taskTypes);
        var actions = (await api.JsonAsync(HttpMethod.Get, "/api/admin/trigger-actions", null, Credentials.Admin, 200))
            .GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal(
            [("admin/jobs/trigger-sync", "game_platform_sync"), ("admin/jobs/trigger-totals-sweep", "game_platform_totals_sweep")],
            actions.Select(a => (a.GetProperty("route").GetString(), a.GetProperty("taskType").GetString())));
        Assert.Contains(api.Services.GetRequiredService<ScheduleTable>().Standing, s => s.TaskType == "game_platform_sync");
    }
}
