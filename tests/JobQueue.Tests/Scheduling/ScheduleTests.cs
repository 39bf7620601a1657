using JobQueue.Queue;
using JobQueue.Scheduling;
using JobQueue.Server;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace JobQueue.Tests.Scheduling;

public sealed class ScheduleTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task A_tick_is_claimed_once_and_only_later_ticks_after_it()
    {
        var store = new ScheduleTickStore(db.DataSource);
        var tick = DateTimeOffset.Parse("2030-01-01T00:30:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.ClaimTickAsync("S", tick, "instance-" + i)));

        Assert.Equal(1, claims.Count(c => c));
        Assert.False(await store.ClaimTickAsync("S", tick.AddMinutes(-30), "late"));
        Assert.True(await store.ClaimTickAsync("S", tick.AddMinutes(30), "next"));
        Assert.True(await store.ClaimTickAsync("Other", tick, "other schedule"));
    }

    [Fact]
    public async Task Standing_enqueues_use_one_dedupe_key_shared_with_pg_cron()
    {
        await using var services = db.BuildServices();
        var runner = services.GetRequiredService<ScheduleRunner>();

        await runner.RunAsync(JobTypesBuilderExtensions.JobQueueCleanup.Name, isPastDue: false, CancellationToken.None);
        await runner.RunAsync(JobTypesBuilderExtensions.JobQueueCleanup.Name, isPastDue: true, CancellationToken.None);
        var fromCron = await db.ScalarAsync<Guid>(
            "SELECT job_queue_enqueue('job_queue_cleanup', '{}'::jsonb, now(), 3, 'standing:job_queue_cleanup')");

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'job_queue_cleanup'"));
        Assert.Equal(fromCron, await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE task_type = 'job_queue_cleanup'"));
        Assert.Equal("schedule:JobQueueCleanup", await db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE id = $1", fromCron));
    }

    [Fact]
    public void Every_schedule_has_a_valid_six_field_default_and_its_setting_key()
    {
        Assert.All(ComposedApp.Schedules, s =>
        {
            Cronos.CronExpression.Parse(s.DefaultCron, Cronos.CronFormat.IncludeSeconds);
            Assert.Equal("Schedules:" + s.Name, s.SettingKey);
        });
        Assert.Equal("0 */30 * * * *", GamePlatformBuilderExtensions.SyncSchedule.DefaultCron);
        Assert.Equal("0 0 * * * *", GamePlatformBuilderExtensions.TotalsSweepSchedule.DefaultCron);
        Assert.Equal("0 15 3 * * *", JobTypesBuilderExtensions.JobQueueCleanup.DefaultCron);
        Assert.Equal("0 * * * * *", Schedules.Runner.DefaultCron);
    }

    [Fact]
    public async Task Two_server_instances_fire_each_tick_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:29:59Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var services = db.BuildServices(s => s.AddSingleton<TimeProvider>(time), new Dictionary<string, string?>
        {
            ["Schedules:GamePlatformTotalsSweep"] = "0 0 0 1 1 *",
            ["Schedules:JobQueueCleanup"] = "0 0 0 1 1 *",
            ["Schedules:Runner"] = "0 0 0 1 1 *",
        });
        var ready = new JobQueue.Database.DatabaseReadiness();
        ready.MarkReady();
        var instances = Enumerable.Range(0, 2).Select(_ => new ScheduleHostedService(
            services.GetRequiredService<ScheduleExpressions>(), services.GetRequiredService<ScheduleTable>(), services.GetRequiredService<ScheduleTickStore>(),
            services.GetRequiredService<ScheduleRunner>(), ready, time, NullLogger<ScheduleHostedService>.Instance)).ToList();
        foreach (var instance in instances)
        {
            await instance.StartAsync(CancellationToken.None);
        }

        try
        {
            await Task.Delay(200);
            time.Advance(TimeSpan.FromSeconds(1));
            var tick = await WaitForAsync(() => db.ScalarAsync<DateTime>("SELECT last_tick FROM job_queue_schedule_ticks WHERE name = 'GamePlatformSync'"));
            Assert.Equal(new DateTime(2030, 1, 1, 0, 30, 0, DateTimeKind.Utc), tick.ToUniversalTime());
            await WaitForAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'game_platform_sync'"));
            Assert.Equal("schedule:GamePlatformSync", await db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE task_type = 'game_platform_sync'"));
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_schedule_ticks WHERE name <> 'GamePlatformSync'"));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.StopAsync(CancellationToken.None);
                instance.Dispose();
            }
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read)
    {
        for (var i = 0; i < 400; i++)
        {
            var value = await read();
            if (!EqualityComparer<T>.Default.Equals(value, default))
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("condition not reached in 20 s");
    }
}
