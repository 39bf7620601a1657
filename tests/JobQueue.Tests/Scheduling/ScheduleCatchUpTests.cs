using System.Globalization;
using JobQueue.Cron;
using JobQueue.Scheduling;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace JobQueue.Tests.Scheduling;

/// <summary>
/// Missed schedule ticks (host down, timers frozen): caught up once across instances per the
/// schedule's policy, recorded in the tick table; the app's standing pg_cron jobs likewise from
/// pg_cron's run history.
/// </summary>
public sealed class ScheduleCatchUpTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2030-01-01T10:30:00Z", CultureInfo.InvariantCulture);
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private ServiceProvider Services(TimeProvider time, Dictionary<string, string?>? settings = null) =>
        db.BuildServices(s => s.Replace(ServiceDescriptor.Singleton(time)), settings);

    [Fact]
    public async Task A_missed_tick_with_policy_once_fires_once_across_instances_and_is_recorded()
    {
        await using var services = Services(new FakeTimeProvider(Now));
        var ticks = services.GetRequiredService<ScheduleTickStore>();
        await ticks.ClaimTickAsync(GamePlatformBuilderExtensions.SyncSchedule.Name, Now.AddHours(-2.5), "before the outage");

        // four instances coming back at once
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Services(new FakeTimeProvider(Now)).GetRequiredService<ScheduleCatchUp>().RunAsync(CancellationToken.None)));

        var caught = Assert.Single(results.SelectMany(r => r), r => r.Schedule == GamePlatformBuilderExtensions.SyncSchedule.Name);
        Assert.Equal((4, ScheduleCatchUp.Fired, Now.AddMinutes(-30)), (caught.Missed, caught.Action, caught.MissedTick));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'game_platform_sync'"));
        Assert.Equal("schedule:GamePlatformSync:missed", await db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE task_type = 'game_platform_sync'"));
        var recorded = (await ticks.GetTicksAsync())[GamePlatformBuilderExtensions.SyncSchedule.Name];
        Assert.Equal((4L, "fired", Now.AddMinutes(-30), Now.AddMinutes(-30)),
            (recorded.MissedTicks, recorded.LastMissedAction, recorded.LastMissedTick, recorded.LastTick));

        // the others were never recorded: tracked from now on, nothing fired; a second look finds nothing
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
        Assert.Empty(await Services(new FakeTimeProvider(Now)).GetRequiredService<ScheduleCatchUp>().RunAsync(CancellationToken.None));
        // every schedule but the queue's upkeep, which has no ticks to catch up
        Assert.Equal(ComposedApp.Schedules.Count(s => s.Action != ScheduleAction.QueueMaintenance), (await ticks.GetTicksAsync()).Count);
    }

    [Fact]
    public async Task A_missed_tick_with_policy_skip_is_recorded_and_nothing_runs()
    {
        var settings = new Dictionary<string, string?> { ["Schedules:MissedPolicy:GamePlatformSync"] = "Skip" };
        await using var services = Services(new FakeTimeProvider(Now), settings);
        var ticks = services.GetRequiredService<ScheduleTickStore>();
        await ticks.ClaimTickAsync(GamePlatformBuilderExtensions.SyncSchedule.Name, Now.AddHours(-1), "before");

        var caught = Assert.Single(await services.GetRequiredService<ScheduleCatchUp>().RunAsync(CancellationToken.None));

        Assert.Equal((1, ScheduleCatchUp.Skipped, Now.AddMinutes(-30)), (caught.Missed, caught.Action, caught.MissedTick));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
        Assert.Equal("skipped", (await ticks.GetTicksAsync())[GamePlatformBuilderExtensions.SyncSchedule.Name].LastMissedAction);
    }

    [Fact]
    public async Task A_tick_within_the_grace_period_is_not_missed_yet()
    {
        var time = new FakeTimeProvider(Now.AddSeconds(60)); // 10:31: the 10:30 tick may still be firing
        await using var services = Services(time);
        await services.GetRequiredService<ScheduleTickStore>().ClaimTickAsync(GamePlatformBuilderExtensions.SyncSchedule.Name, Now.AddMinutes(-30), "10:00");

        var catchUp = services.GetRequiredService<ScheduleCatchUp>();
        Assert.DoesNotContain(await catchUp.RunAsync(CancellationToken.None), r => r.Schedule == GamePlatformBuilderExtensions.SyncSchedule.Name);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains(await catchUp.RunAsync(CancellationToken.None), r => r.Schedule == GamePlatformBuilderExtensions.SyncSchedule.Name);
    }

    [Fact]
    public async Task A_standing_pg_cron_job_that_missed_its_tick_is_run_once()
    {
        var cron = new CronApiFixture();
        await cron.InitializeAsync();
        try
        {
            var store = cron.Api.Services.GetRequiredService<CronJobStore>();
            var installed = await cron.Api.Services.GetRequiredService<StandingCronInstaller>().InstallAsync();
            var sync = installed.Single(r => r.Job.TaskType == "game_platform_sync").Job;
            // its last run was two hours ago: PostgreSQL was down at the ticks since
            await using (var admin = NpgsqlDataSource.Create(LocalPostgres.RunScript("admin-url")))
            await using (var run = admin.CreateCommand(
                "INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, return_message, start_time, end_time) " +
                "SELECT jobid, nextval('cron.runid_seq'), database, username, command, 'succeeded', '1 row', now() - interval '2 hours', now() - interval '2 hours' FROM cron.job WHERE jobid = $1"))
            {
                run.Parameters.AddWithValue(sync.JobId);
                await run.ExecuteNonQueryAsync();
            }

            var catchUp = cron.Api.Services.GetRequiredService<ScheduleCatchUp>();
            var first = await catchUp.RunAsync(CancellationToken.None);
            var second = await catchUp.RunAsync(CancellationToken.None);

            var caught = Assert.Single(first, r => r.Schedule == "pg_cron:" + sync.Name);
            Assert.Equal(ScheduleCatchUp.Fired, caught.Action);
            Assert.DoesNotContain(second, r => r.Schedule == "pg_cron:" + sync.Name);
            Assert.Equal($"pg_cron:{sync.Name}:missed", await cron.Db.ScalarAsync<string>(
                "SELECT triggered_by FROM job_queue WHERE task_type = 'game_platform_sync'"));
            foreach (var r in installed)
            {
                await store.DeleteAsync(r.JobName);
            }
        }
        finally
        {
            await cron.DisposeAsync();
        }
    }
}
