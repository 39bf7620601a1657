using System.Diagnostics;
using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Recovery;

/// <summary>
/// Health's signals of a held xmin horizon (issue 12, item 4): the oldest open transaction's age, how
/// far the horizon lags, and the queue tables' dead-row estimates, through the real health route.
/// </summary>
public sealed class HeldHorizonHealthTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        api = await ApiTestServer.StartAsync(db);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    private Task<JsonElement> HealthAsync() => api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin, 200);

    [Fact]
    public async Task Health_reports_the_oldest_open_transaction_the_horizon_lag_and_dead_rows()
    {
        var quiet = await HealthAsync();
        Assert.InRange(quiet.GetProperty("oldestTransactionAgeSeconds").GetDouble(), 0, 5);
        Assert.Equal(JsonValueKind.Number, quiet.GetProperty("xminHorizonAge").ValueKind);
        Assert.Equal(JsonValueKind.Number, quiet.GetProperty("deadRows").GetProperty("job_queue").ValueKind);
        Assert.Equal(JsonValueKind.Number, quiet.GetProperty("deadRows").GetProperty("job_queue_attempts").ValueKind);

        // another role's session (the runtime login, not the owner) holds a snapshot open
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.AppConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM jobqueue.job_queue_get_settings()", holder, held))
        {
            await read.ExecuteScalarAsync();
        }

        // the queue churns behind it: every job claimed and finished leaves dead versions
        var ids = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}')"));
        }

        await db.ExecuteAsync(
            "SELECT job_queue_complete('r', (SELECT jsonb_agg(jsonb_build_object('id', id, 'succeeded', true)) FROM job_queue_claim(100, interval '1 minute', 'r')))");
        await Task.Delay(2000);

        var sw = Stopwatch.StartNew();
        JsonElement health;
        do
        {
            // table statistics reach the shared counters within seconds (at the latest when a backend goes idle)
            await Task.Delay(500);
            health = await HealthAsync();
        }
        while (health.GetProperty("deadRows").GetProperty("job_queue").GetInt64() < 50 && sw.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(health.GetProperty("oldestTransactionAgeSeconds").GetDouble() >= 2, health.ToString());
        Assert.True(health.GetProperty("xminHorizonAge").GetInt64() >= 50, health.ToString());
        Assert.True(health.GetProperty("deadRows").GetProperty("job_queue").GetInt64() >= 50, health.ToString());

        await held.CommitAsync();
        var after = await HealthAsync();
        Assert.True(after.GetProperty("oldestTransactionAgeSeconds").GetDouble() < 2, after.ToString());
    }
}
