using System.Net;
using JobQueue.Cron;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobQueue.Tests.Cron;

/// <summary>
/// The cron admin sees and changes only the app's own pg_cron jobs. A foreign job of the same database
/// role (on Supabase: `postgres`'s pg_net calls with service keys in their commands) is neither listed,
/// nor its runs shown, nor toggled, rescheduled, deleted or overwritten, and its command never
/// reaches a response.
/// </summary>
public sealed class CronScopeTests(CronApiFixture fx) : IClassFixture<CronApiFixture>, IAsyncLifetime
{
    private const string Secret = "sk_live_FOREIGN_SERVICE_KEY_7f3a";
    private readonly List<long> foreignJobs = [];
    private NpgsqlDataSource owner = null!;

    public Task InitializeAsync()
    {
        owner = NpgsqlDataSource.Create(CronTestDatabase.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var id in foreignJobs)
        {
            await using var cmd = owner.CreateCommand("SELECT cron.unschedule($1)");
            cmd.Parameters.AddWithValue(id);
            await cmd.ExecuteNonQueryAsync();
        }

        await owner.DisposeAsync();
    }

    private CronJobStore Store => fx.Api.Services.GetRequiredService<CronJobStore>();

    /// <summary>A job scheduled straight into pg_cron by the same role, as the replaced stack did.</summary>
    private async Task<long> ForeignJobAsync(string name, string command)
    {
        await using var cmd = owner.CreateCommand("SELECT cron.schedule($1, '0 0 1 1 *', $2)");
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(command);
        var id = (long)(await cmd.ExecuteScalarAsync())!;
        foreignJobs.Add(id);
        return id;
    }

    private async Task<string> RowAsync(long jobId)
    {
        await using var cmd = owner.CreateCommand("SELECT j::text FROM cron.job j WHERE jobid = $1");
        cmd.Parameters.AddWithValue(jobId);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<string> RowCommandAsync(long jobId)
    {
        await using var cmd = owner.CreateCommand("SELECT command FROM cron.job WHERE jobid = $1");
        cmd.Parameters.AddWithValue(jobId);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_foreign_job_with_a_secret_in_its_command_is_neither_listed_nor_changed()
    {
        var name = fx.Prefix + "foreign_pgnet";
        var id = await ForeignJobAsync(name,
            $$"""SELECT net.http_post(url := 'https://project.supabase.co/functions/v1/invoices', headers := '{"Authorization":"Bearer {{Secret}}"}'::jsonb)""");
        await using var admin = NpgsqlDataSource.Create(LocalPostgres.RunScript("admin-url"));
        await using (var run = admin.CreateCommand(
            "INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, return_message, start_time, end_time) " +
            "SELECT jobid, nextval('cron.runid_seq'), database, username, command, 'failed', 'ERROR: ' || command, now(), now() FROM cron.job WHERE jobid = $1"))
        {
            run.Parameters.AddWithValue(id);
            await run.ExecuteNonQueryAsync();
        }

        var before = await RowAsync(id);

        Assert.DoesNotContain(await Store.GetJobsAsync(), j => j.JobId == id || j.Name == name);
        Assert.DoesNotContain(await Store.GetRunsAsync(1000), r => r.JobId == id);
        Assert.Equal(CronErrorKind.NotFound, (await Assert.ThrowsAsync<CronJobException>(() => Store.ToggleAsync(name, false))).Kind);
        Assert.Equal(CronErrorKind.NotFound, (await Assert.ThrowsAsync<CronJobException>(() => Store.RescheduleAsync(name, "5 * * * *"))).Kind);
        Assert.Equal(CronErrorKind.NotFound, (await Assert.ThrowsAsync<CronJobException>(() => Store.DeleteAsync(name))).Kind);
        // pg_cron's schedule() would overwrite a job of that name: the app refuses instead
        Assert.Equal(CronErrorKind.Conflict,
            (await Assert.ThrowsAsync<CronJobException>(() => Store.CreateAsync(new CronJobDefinition(name, "* * * * *", "test_echo")))).Kind);

        using var list = await fx.Api.SendAsync(HttpMethod.Get, "/api/admin/cron-jobs?limit=1000", null, Credentials.Admin);
        var body = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(name, body, StringComparison.Ordinal);
        Assert.DoesNotContain("net.http_post", body, StringComparison.Ordinal);
        foreach (var (path, json) in new[]
        {
            ("/api/admin/cron-jobs/toggle", $$"""{"jobName":"{{name}}","active":false}"""),
            ("/api/admin/cron-jobs/schedule", $$"""{"jobName":"{{name}}","schedule":"5 * * * *"}"""),
            ("/api/admin/cron-jobs/delete", $$"""{"jobName":"{{name}}"}"""),
        })
        {
            using var response = await fx.Api.SendAsync(HttpMethod.Post, path, json, Credentials.Admin);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await RowAsync(id));
    }

    [Fact]
    public async Task A_job_the_app_made_whose_command_was_edited_by_hand_is_no_longer_the_apps()
    {
        var name = fx.Prefix + "edited";
        var job = await Store.CreateAsync(new CronJobDefinition(name, "0 0 1 1 *", "test_echo", """{"n":1}"""));
        Assert.Contains(await Store.GetJobsAsync(), j => j.JobId == job.JobId);

        await using (var edit = owner.CreateCommand("SELECT cron.alter_job(job_id => $1, command => 'SELECT 42')"))
        {
            edit.Parameters.AddWithValue(job.JobId);
            await edit.ExecuteNonQueryAsync();
        }

        foreignJobs.Add(job.JobId);
        Assert.DoesNotContain(await Store.GetJobsAsync(), j => j.JobId == job.JobId);
        Assert.Equal(CronErrorKind.NotFound, (await Assert.ThrowsAsync<CronJobException>(() => Store.DeleteAsync(name))).Kind);
    }

    [Fact]
    public async Task Jobs_made_by_the_earlier_create_cron_job_are_adopted_with_their_task_and_payload_and_near_misses_are_not()
    {
        var legacy = fx.Prefix + "legacy";
        long legacyId;
        // exactly the command shape jobqueue.cron_admin_adopt_legacy_jobs
        // (Database/Schema/functions/cron/cron_admin_adopt_legacy_jobs.sql) adopts (a payload with a quote
        // and a backslash: an E'' literal)
        await using (var cmd = owner.CreateCommand("""
            SELECT cron.schedule($1, '0 0 1 1 *',
                   format('SELECT public.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                          'test_echo', $2::jsonb::text, 4, 'standing:x', 'pg_cron:' || $1))
            """))
        {
            cmd.Parameters.AddWithValue(legacy);
            cmd.Parameters.AddWithValue("""{"it's": "a\\b"}""");
            legacyId = (long)(await cmd.ExecuteScalarAsync())!;
            foreignJobs.Add(legacyId);
        }

        Assert.StartsWith("SELECT public.job_queue_enqueue('test_echo', E'", await RowCommandAsync(legacyId), StringComparison.Ordinal);
        var nearMiss = fx.Prefix + "nearmiss";
        var nearMissId = await ForeignJobAsync(nearMiss,
            $"SELECT public.job_queue_enqueue('test_echo', '{{}}'::jsonb, now(), 3, NULL, 'pg_cron:{legacy}'); SELECT 1");

        await using (var adopt = owner.CreateCommand("SELECT jobqueue.cron_admin_adopt_legacy_jobs()"))
        {
            Assert.True((int)(await adopt.ExecuteScalarAsync())! >= 1);
        }

        var jobs = await Store.GetJobsAsync();
        var adopted = Assert.Single(jobs, j => j.JobId == legacyId);
        Assert.Equal("test_echo", adopted.TaskType);
        Assert.Equal(4, adopted.MaxAttempts);
        Assert.Equal("standing:x", adopted.DedupeKey);
        Assert.Equal("a\\b", adopted.Payload.GetProperty("it's").GetString());
        Assert.DoesNotContain(jobs, j => j.JobId == nearMissId);
        await Store.DeleteAsync(legacy);
        foreignJobs.Remove(legacyId);
    }
}
