using System.Text.Json;
using JobQueue.Cron;
using JobQueue.Handlers;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobQueue.Tests.Cron;

/// <summary>The pg_cron wrappers (Database/Schema/functions/cron/) on the real pg_cron, through <see cref="CronJobStore"/> and raw SQL.</summary>
public sealed class CronWrapperTests(CronFixture fx) : IClassFixture<CronFixture>
{
    [Fact]
    public async Task Create_stores_an_enqueue_into_the_app_database_and_the_stored_command_enqueues_exactly_that_job()
    {
        var name = fx.Name("create");
        var job = await fx.Store.CreateAsync(new CronJobDefinition(name, "*/30 * * * *", "game_platform_sync", """{"dryRun":true,"coachId":42}""", 7));

        Assert.Equal(name, job.Name);
        Assert.Equal("*/30 * * * *", job.Schedule);
        Assert.Equal(fx.App.Name, job.Database);
        Assert.True(job.Active);

        var listed = Assert.Single(await fx.Store.GetJobsAsync(), j => j.Name == name);
        Assert.Equal("game_platform_sync", listed.TaskType);
        Assert.Equal("Every 30 minutes", listed.Description);
        Assert.Equal(job.JobId, listed.JobId);

        var id = await RunStoredCommandAsync(job.Name);
        Assert.Equal(1L, await fx.App.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE triggered_by = $1", "pg_cron:" + name));
        Assert.Equal("game_platform_sync", await fx.App.ScalarAsync<string>("SELECT task_type FROM job_queue WHERE id = $1", id));
        Assert.Equal(7, await fx.App.ScalarAsync<int>("SELECT max_attempts FROM job_queue WHERE id = $1", id));
        Assert.True(await fx.App.ScalarAsync<bool>(
            "SELECT payload = '{\"dryRun\":true,\"coachId\":42}'::jsonb AND status = 'pending' AND dedupe_key IS NULL FROM job_queue WHERE id = $1", id));
        await fx.App.ExecuteAsync("DELETE FROM job_queue");
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_and_changes_nothing()
    {
        var name = fx.Name("dup");
        await fx.Store.CreateAsync(new CronJobDefinition(name, "0 * * * *", "t1"));
        var before = await fx.CronJobTableSnapshotAsync();

        var e = await Assert.ThrowsAsync<CronJobException>(() => fx.Store.CreateAsync(new CronJobDefinition(name, "5 4 * * *", "t2")));

        Assert.Equal(CronErrorKind.Conflict, e.Kind);
        Assert.Equal("jobName", e.Field);
        Assert.Equal(before, await fx.CronJobTableSnapshotAsync());
    }

    [Fact]
    public async Task Toggle_disables_and_enables_and_a_missing_job_is_not_found()
    {
        var name = fx.Name("toggle");
        await fx.Store.CreateAsync(new CronJobDefinition(name, "0 * * * *", "t"));

        Assert.False((await fx.Store.ToggleAsync(name, false)).Active);
        Assert.False(Assert.Single(await fx.Store.GetJobsAsync(), j => j.Name == name).Active);
        Assert.True((await fx.Store.ToggleAsync(name, true)).Active);

        var e = await Assert.ThrowsAsync<CronJobException>(() => fx.Store.ToggleAsync(fx.Name("nope"), true));
        Assert.Equal(CronErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Reschedule_changes_only_the_schedule_and_pg_cron_rejects_what_it_cannot_parse()
    {
        var name = fx.Name("resched");
        await fx.Store.CreateAsync(new CronJobDefinition(name, "0 * * * *", "t"));
        var command = await fx.StoredCommandAsync(name);

        var moved = await fx.Store.RescheduleAsync(name, "15 3 * * *");
        Assert.Equal("15 3 * * *", moved.Schedule);
        Assert.Equal(command, await fx.StoredCommandAsync(name));
        Assert.Equal("Daily at 03:15 UTC", moved.Description);

        var before = await fx.CronJobTableSnapshotAsync();
        var invalid = await Assert.ThrowsAsync<CronJobException>(() => fx.Store.RescheduleAsync(name, "61 * * * *"));
        Assert.Equal(CronErrorKind.Invalid, invalid.Kind);
        Assert.Equal("schedule", invalid.Field);
        Assert.Equal(before, await fx.CronJobTableSnapshotAsync());

        var missing = await Assert.ThrowsAsync<CronJobException>(() => fx.Store.RescheduleAsync(fx.Name("nope"), "0 * * * *"));
        Assert.Equal(CronErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Delete_unschedules_and_a_second_delete_is_not_found()
    {
        var name = fx.Name("delete");
        await fx.Store.CreateAsync(new CronJobDefinition(name, "0 * * * *", "t"));

        await fx.Store.DeleteAsync(name);

        Assert.DoesNotContain(await fx.Store.GetJobsAsync(), j => j.Name == name);
        var e = await Assert.ThrowsAsync<CronJobException>(() => fx.Store.DeleteAsync(name));
        Assert.Equal(CronErrorKind.NotFound, e.Kind);
    }

    [Theory]
    [InlineData("x'; DROP TABLE job_queue; --")]
    [InlineData("a$$b")]
    [InlineData("a;b")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task Hostile_job_names_are_rejected_by_every_wrapper(string hostile)
    {
        var before = await fx.CronJobTableSnapshotAsync();

        foreach (var call in new Func<Task>[]
        {
            () => fx.Store.CreateAsync(new CronJobDefinition(hostile, "0 * * * *", "t")),
            () => fx.Store.ToggleAsync(hostile, false),
            () => fx.Store.RescheduleAsync(hostile, "0 * * * *"),
            () => fx.Store.DeleteAsync(hostile),
        })
        {
            var e = await Assert.ThrowsAsync<CronJobException>(call);
            Assert.Equal(CronErrorKind.Invalid, e.Kind);
            Assert.Equal("jobName", e.Field);
        }

        Assert.Equal(before, await fx.CronJobTableSnapshotAsync());
        Assert.Equal(1L, await fx.App.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'job_queue'"));
    }

    [Theory]
    [InlineData("* * * * *'; SELECT 1; --")]
    [InlineData("* * * * * $$")]
    [InlineData("@reboot")]
    [InlineData("30 seconds")]
    [InlineData("0 * * * * *")]
    public async Task Hostile_or_unsupported_schedules_are_rejected_and_store_nothing(string hostile)
    {
        var name = fx.Name("badsched");
        var before = await fx.CronJobTableSnapshotAsync();

        var e = await Assert.ThrowsAsync<CronJobException>(() => fx.Store.CreateAsync(new CronJobDefinition(name, hostile, "t")));

        Assert.Equal(CronErrorKind.Invalid, e.Kind);
        Assert.Equal("schedule", e.Field);
        Assert.Equal(before, await fx.CronJobTableSnapshotAsync());
    }

    [Fact]
    public async Task Quotes_dollar_quotes_and_semicolons_in_task_type_payload_and_dedupe_key_stay_inside_their_literals()
    {
        const string taskType = "t'); DELETE FROM job_queue; SELECT ('$$;";
        const string payload = """{"a":"'); DROP TABLE job_queue; --","b":"$$; SELECT 1; $$","c":"\\'::jsonb, now(), 1); --","d":"E'\\x27'"}""";
        const string dedupe = "k'$$;--";
        await fx.App.ExecuteAsync("DELETE FROM job_queue");
        var keep = await fx.App.ScalarAsync<Guid>("SELECT job_queue_enqueue('bystander', '{}')");
        var name = fx.Name("inject");

        var job = await fx.Store.CreateAsync(new CronJobDefinition(name, "0 0 1 1 *", taskType, payload, 2, dedupe));
        var id = await RunStoredCommandAsync(job.Name);

        Assert.Equal(2L, await fx.App.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
        Assert.Equal(keep, await fx.App.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE task_type = 'bystander'"));
        Assert.Equal(taskType, await fx.App.ScalarAsync<string>("SELECT task_type FROM job_queue WHERE id = $1", id));
        Assert.Equal(dedupe, await fx.App.ScalarAsync<string>("SELECT dedupe_key FROM job_queue WHERE id = $1", id));
        Assert.True(await fx.App.ScalarAsync<bool>("SELECT payload = $2::jsonb FROM job_queue WHERE id = $1", id, payload));
        Assert.Equal(taskType, Assert.Single(await fx.Store.GetJobsAsync(), j => j.Name == name).TaskType);

        await fx.App.ExecuteAsync("DELETE FROM job_queue");
    }

    [Fact]
    public async Task The_wrappers_refuse_bad_arguments_in_sql_too()
    {
        var name = fx.Name("sqlargs");
        async Task<string> FieldOf(string payload, int maxAttempts, string taskType = "t") =>
            (await Assert.ThrowsAsync<CronJobException>(() => fx.Store.CreateAsync(new CronJobDefinition(name, "0 * * * *", taskType, payload, maxAttempts)))).Field;

        Assert.Equal("payload", await FieldOf("[1,2]", 3));
        Assert.Equal("payload", await FieldOf(JsonSerializer.Serialize(new { big = new string('x', 20000) }), 3));
        Assert.Equal("maxAttempts", await FieldOf("{}", 0));
        Assert.Equal("maxAttempts", await FieldOf("{}", 101));
        Assert.Equal("taskType", await FieldOf("{}", 3, ""));
        Assert.DoesNotContain(await fx.Store.GetJobsAsync(), j => j.Name == name);
    }

    [Fact]
    public async Task Wrappers_are_executable_by_the_app_role_only()
    {
        await fx.App.EnablePublicWrappersAsync(); // the RPC names in public exist only when asked
        const string Names = "('get_cron_jobs', 'get_cron_job_runs', 'create_cron_job', 'toggle_cron_job', 'update_cron_schedule', 'delete_cron_job')";
        var grants = await fx.App.ScalarAsync<string>($"""
            SELECT string_agg(p.proname || ':' || has_function_privilege('public', p.oid, 'EXECUTE') || ':'
                              || has_function_privilege('jobqueue_app', p.oid, 'EXECUTE') || ':' || p.prosecdef
                              || ':' || array_to_string(p.proconfig, ','), ' ' ORDER BY p.proname)
              FROM pg_proc p
             WHERE p.pronamespace = 'jobqueue'::regnamespace AND p.proname IN {Names}
            """);
        // the RPC names in public are invoker's-rights wrappers: a caller needs the app role for both
        var wrappers = await fx.App.ScalarAsync<string>($"""
            SELECT string_agg(p.proname || ':' || has_function_privilege('public', p.oid, 'EXECUTE') || ':'
                              || has_function_privilege('jobqueue_app', p.oid, 'EXECUTE') || ':' || p.prosecdef, ' ' ORDER BY p.proname)
              FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proname IN {Names}
            """);

        Assert.Equal(
            "create_cron_job:false:true:true:search_path=jobqueue, pg_temp delete_cron_job:false:true:true:search_path=jobqueue, pg_temp "
            + "get_cron_job_runs:false:true:true:search_path=jobqueue, pg_temp get_cron_jobs:false:true:true:search_path=jobqueue, pg_temp "
            + "toggle_cron_job:false:true:true:search_path=jobqueue, pg_temp update_cron_schedule:false:true:true:search_path=jobqueue, pg_temp",
            grants);
        Assert.Equal(
            "create_cron_job:false:true:false delete_cron_job:false:true:false get_cron_job_runs:false:true:false "
            + "get_cron_jobs:false:true:false toggle_cron_job:false:true:false update_cron_schedule:false:true:false",
            wrappers);
    }

    [Fact]
    public async Task Without_pg_cron_the_migrations_succeed_and_the_wrappers_say_pg_cron_is_unavailable()
    {
        // TestDatabase migrated a jq_t_* database, where pg_cron cannot be installed; no Cron:ConnectionString
        await using var db = await TestDatabase.CreateAsync();
        await using var services = db.BuildServices();
        var store = services.GetRequiredService<CronJobStore>();

        var e = await Assert.ThrowsAsync<CronJobException>(() => store.GetJobsAsync());

        Assert.Equal(CronErrorKind.Unavailable, e.Kind);
        Assert.Contains("pg_cron is not installed", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await store.TrimRunHistoryAsync(DateTimeOffset.UtcNow, 100));
    }

    [Fact]
    public async Task Standing_schedules_install_once_and_a_second_install_changes_nothing()
    {
        var installer = fx.Services.GetRequiredService<StandingCronInstaller>();

        var first = await installer.InstallAsync();
        var second = await installer.InstallAsync();

        Assert.Equal([StandingCronInstaller.Created, StandingCronInstaller.Created, StandingCronInstaller.Created], first.Select(r => r.Outcome));
        Assert.All(second, r => Assert.Equal(StandingCronInstaller.Unchanged, r.Outcome));
        var jobs = (await fx.Store.GetJobsAsync()).Where(j => j.Database == fx.App.Name && j.Name.StartsWith("standing_", StringComparison.Ordinal))
            .ToDictionary(j => j.TaskType!);
        Assert.Equal("*/30 * * * *", jobs["game_platform_sync"].Schedule);
        Assert.Equal("0 * * * *", jobs["game_platform_totals_sweep"].Schedule);
        Assert.Equal("15 3 * * *", jobs[CleanupHandler.Name].Schedule);
        Assert.Equal("Daily at 03:15 UTC", jobs[CleanupHandler.Name].Description);
        Assert.Equal("Hourly at minute 0", jobs["game_platform_totals_sweep"].Description);

        // pg_cron and the app's timer both firing: one live job
        var sync = jobs["game_platform_sync"];
        var fromCron = await RunStoredCommandAsync(sync.Name);
        var fromTimer = await fx.App.ScalarAsync<Guid>("SELECT job_queue_enqueue('game_platform_sync', '{}', now(), 3, 'standing:game_platform_sync')");
        Assert.Equal(fromCron, fromTimer);
        Assert.Equal(fromCron, await RunStoredCommandAsync(sync.Name));

        // an operator's reschedule is put back; a disabled job stays disabled
        await fx.Store.RescheduleAsync(sync.Name, "0 0 * * *");
        await fx.Store.ToggleAsync(jobs[CleanupHandler.Name].Name, false);
        var third = await installer.InstallAsync();
        Assert.Equal([StandingCronInstaller.Rescheduled, StandingCronInstaller.Unchanged, StandingCronInstaller.Unchanged], third.Select(r => r.Outcome));
        Assert.False(third[2].Job.Active);

        await fx.App.ExecuteAsync("DELETE FROM job_queue");
        foreach (var r in third)
        {
            await fx.Store.DeleteAsync(r.JobName);
        }
    }

    [Fact]
    public async Task Cleanup_trims_old_run_history_in_pg_crons_database_and_keeps_recent_runs()
    {
        var job = await fx.Store.CreateAsync(new CronJobDefinition(fx.Name("trim"), "0 0 1 1 *", "t"));
        await using var admin = NpgsqlDataSource.Create(LocalPostgres.RunScript("admin-url"));
        await using (var insert = admin.CreateCommand("""
            INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, return_message, start_time, end_time)
            VALUES ($1, nextval('cron.runid_seq'), $2, 'jobqueue', 'x', 'succeeded', 'old', now() - interval '40 days', now() - interval '40 days'),
                   ($1, nextval('cron.runid_seq'), $2, 'jobqueue', 'x', 'succeeded', 'new', now() - interval '1 day', now() - interval '1 day')
            """))
        {
            insert.Parameters.AddWithValue(job.JobId);
            insert.Parameters.AddWithValue(fx.App.Name);
            await insert.ExecuteNonQueryAsync();
        }

        var runs = await fx.Store.GetRunsAsync(1000);
        Assert.Equal(2, runs.Count(r => r.JobId == job.JobId));

        await fx.App.ExecuteAsync("DELETE FROM job_queue");
        await fx.App.ScalarAsync<Guid>("SELECT job_queue_enqueue('job_queue_cleanup', '{\"retentionDays\":14}')");
        var report = await fx.Services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(1));
        Assert.Equal(1, report.Succeeded);
        var output = await fx.App.ScalarAsync<string>("SELECT output::text FROM job_queue WHERE task_type = 'job_queue_cleanup'");

        var left = (await fx.Store.GetRunsAsync(1000)).Where(r => r.JobId == job.JobId).ToList();
        Assert.Equal("new", Assert.Single(left).Message);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("deletedCronRuns").GetInt64() >= 1, output);
        await fx.App.ExecuteAsync("DELETE FROM job_queue");
    }

    [Fact]
    public async Task Cron_database_by_name_uses_the_apps_own_credentials_for_migrations_and_calls()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new CronOptions { Database = "jobqueue" });
        Assert.Equal("jobqueue", new NpgsqlConnectionStringBuilder(options.Value.CronConnectionString(fx.App.ConnectionString)).Database);
        Assert.Null(options.Value.CronConnectionString(CronTestDatabase.ConnectionString));
        await new JobQueue.Database.DatabaseMigrator(Microsoft.Extensions.Logging.Abstractions.NullLogger<JobQueue.Database.DatabaseMigrator>.Instance, options, modules: EveryModule.Schemas)
            .MigrateAsync(fx.App.ConnectionString);
        await using var services = fx.App.BuildServices(settings: new Dictionary<string, string?> { [CronOptions.DatabaseKey] = "jobqueue" });
        var store = services.GetRequiredService<CronJobStore>();
        var name = fx.Name("byname");

        var job = await store.CreateAsync(new CronJobDefinition(name, "0 0 1 1 *", "t"));

        Assert.Equal(fx.App.Name, job.Database);
        Assert.Contains(await fx.Store.GetJobsAsync(), j => j.Name == name);
        await store.DeleteAsync(name);
    }

    /// <summary>Executes the command stored in cron.job in the app database, as pg_cron's worker does.</summary>
    private async Task<Guid> RunStoredCommandAsync(string jobName)
    {
        var command = await fx.StoredCommandAsync(jobName);
        return await fx.App.ScalarAsync<Guid>(command);
    }
}
