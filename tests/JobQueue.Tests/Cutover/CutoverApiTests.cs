using System.Net;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cutover;

/// <summary>
/// <c>GET /api/admin/cutover/plan</c> on a database without legacy objects: 409 naming the setting
/// without an owner connection, the plan (nothing to do) with one; the migrator is not a superuser, so
/// the plan says whose pg_cron jobs it cannot see.
/// </summary>
public sealed class CutoverApiTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Without_an_owner_connection_the_plan_is_409_naming_the_setting()
    {
        await using var api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = "" });
        using var response = await api.SendAsync(HttpMethod.Get, "/api/admin/cutover/plan", null, Credentials.Admin);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Database:MigrationConnectionString", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_owner_connection_the_plan_lists_what_it_cannot_see_and_changes_nothing()
    {
        await using var api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = db.ConnectionString });
        var plan = await api.JsonAsync(HttpMethod.Get, "/api/admin/cutover/plan", null, Credentials.Admin, 200);
        Assert.Equal("planned", plan.GetProperty("outcome").GetString());
        var p = plan.GetProperty("plan");
        Assert.True(p.GetProperty("nothingToDo").GetBoolean());
        Assert.False(p.GetProperty("superuser").GetBoolean());
        Assert.Contains(p.GetProperty("cannotDo").EnumerateArray(), c => c.GetProperty("what").GetString()!.Contains("only the pg_cron jobs of role", StringComparison.Ordinal));
        Assert.DoesNotContain("Password=jobqueue", plan.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM jobqueue.cutover_actions"));
    }
}
