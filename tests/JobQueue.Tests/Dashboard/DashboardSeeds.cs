using JobQueue.Cron;
using JobQueue.Runner;
using JobQueue.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Dashboard;

/// <summary>Jobs in known states for the browser tests, made by the real queue functions and the real runner.</summary>
internal static class DashboardSeeds
{
    /// <summary>Enqueues a <see cref="EchoHandler"/> job; <paramref name="fail"/> makes its attempts fail.</summary>
    public static Task<Guid> EchoAsync(
        DashboardSession session, bool fail = false, int maxAttempts = 1, string runAt = "now()", string triggeredBy = "test:seed", int count = 1) =>
        session.Db.ScalarAsync<Guid>(
            $"SELECT job_queue_enqueue('{EchoHandler.Name}', $1::jsonb, {runAt}, $2, NULL, $3)",
            $"{{\"count\":{count},\"fail\":{(fail ? "true" : "false")}}}", maxAttempts, triggeredBy);

    /// <summary>Runner passes (forced, so also while paused) until no due job is left.</summary>
    public static async Task RunAllDueAsync(DashboardSession session)
    {
        var runner = session.Server.Services.GetRequiredService<JobRunner>();
        while ((await runner.RunPassAsync(new RunPassRequest(Limit: 10, Force: true))).Processed > 0)
        {
        }
    }

    /// <summary>Claims one due job as a runner that never finishes it (a processing job).</summary>
    public static Task ClaimOneAsync(DashboardSession session) =>
        session.Db.ExecuteAsync("SELECT * FROM job_queue_claim(1, interval '1 hour', 'test-runner')");

    public static Task<string> StatusAsync(DashboardSession session, Guid id) =>
        session.Db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id);

    /// <summary>A URL longer than any column: a long host and path, and a query that must not be shown in lists.</summary>
    public const string LongUrl =
        "https://abcdefghijklmnopqrstuvwxyz-project-with-a-very-long-name.functions.supabase.co/functions/v1/" +
        "recalculate-season-leaderboards-for-every-division-and-every-team-including-archived-ones?apikey=not-for-lists&page=1";

    /// <summary>An error as long runners' errors get: a long message, a URL without spaces, a stack-like tail.</summary>
    public static readonly string LongError =
        "HTTP 503 from " + LongUrl + ": " + string.Concat(Enumerable.Repeat("upstream connect error or disconnect/reset before headers; ", 12)) +
        "/" + new string('x', 240);

    /// <summary>
    /// Jobs that stretch every list: http_request jobs with long URLs, a sql_function job, a partial and a
    /// failed stats run (with steps in their output), failed jobs with long errors, long triggers.
    /// Returns (the failed job with the long error, the partial stats run).
    /// </summary>
    public static async Task<(Guid LongError, Guid PartialStats)> LongContentAsync(DashboardSession session)
    {
        var db = session.Db;
        await db.ExecuteAsync(
            "INSERT INTO job_queue (task_type, payload, status, run_at, triggered_by) VALUES " +
            "('http_request', jsonb_build_object('method', 'POST', 'url', $1::text), 'pending', now() + interval '1 day', 'pg_cron:' || repeat('nightly-leaderboards-', 3)), " +
            "('sql_function', '{\"function\":\"reporting.refresh_every_materialized_view_of_the_season_dashboards\",\"args\":{\"season_id\":12}}', 'pending', now() + interval '1 day', 'follow-up:' || gen_random_uuid()), " +
            "('test_echo', jsonb_build_object('count', 3, 'note', repeat('a-very-long-payload-value-', 10), 'nested', '{\"a\":1}'::jsonb), 'pending', now() + interval '1 day', 'admin-run:cron:' || repeat('x', 50) || ':principal:' || repeat('someone-', 8) || '@example.com')",
            LongUrl);
        var longError = await db.ScalarAsync<Guid>(
            "INSERT INTO job_queue (task_type, payload, status, attempts, max_attempts, last_error, started_at, completed_at, triggered_by) " +
            "VALUES ('http_request', jsonb_build_object('method', 'GET', 'url', $1::text), 'failed', 3, 3, $2, now() - interval '2 seconds', now(), 'admin:admin-token') RETURNING id",
            LongUrl, LongError);
        var partial = await db.ScalarAsync<Guid>(
            "INSERT INTO job_queue (task_type, payload, status, attempts, output, started_at, completed_at, triggered_by) VALUES ('stats_update', " +
            "'{\"triggeredBy\":\"post-match\",\"matchId\":4711}', 'succeeded', 1, jsonb_build_object('status', 'partial', 'failedSteps', jsonb_build_array('season_totals_with_a_long_step_name'), " +
            "'steps', jsonb_build_array(jsonb_build_object('name', 'player_totals', 'function', 'public.stats_player_totals', 'success', true, 'attempts', 1, 'durationMs', 120), " +
            "jsonb_build_object('name', 'season_totals_with_a_long_step_name', 'function', 'public.stats_season_totals', 'success', false, 'attempts', 3, 'durationMs', 900, 'error', $1::text))), " +
            "now() - interval '3 seconds', now(), 'post-match:admin:admin-token') RETURNING id",
            LongError);
        await db.ExecuteAsync(
            "INSERT INTO job_queue (task_type, payload, status, attempts, max_attempts, last_error, started_at, completed_at, triggered_by) VALUES " +
            "('stats_update', '{\"triggeredBy\":\"cron\"}', 'failed', 3, 3, 'every step failed: ' || $1, now() - interval '5 seconds', now() - interval '4 seconds', 'cron:admin:admin-token'), " +
            "('test_echo', '{\"count\":1,\"fail\":true}', 'failed', 1, 1, $1, now() - interval '1 second', now(), 'schedule:' || repeat('LongScheduleName', 4))",
            LongError);
        return (longError, partial);
    }

    /// <summary>pg_cron schedules with long names and a long http_request URL in their payload (made through the store, as the API would).</summary>
    public static async Task CronJobsAsync(DashboardSession session, string prefix)
    {
        var store = session.Server.Services.GetRequiredService<CronJobStore>();
        await store.CreateAsync(new CronJobDefinition(
            prefix + new string('n', 63 - prefix.Length), "*/5 * * * *", "http_request",
            $"{{\"method\":\"POST\",\"url\":\"{LongUrl}\",\"headers\":{{\"x-trace\":\"{new string('h', 120)}\"}},\"body\":{{\"kind\":\"{new string('b', 200)}\"}}}}"));
        await store.CreateAsync(new CronJobDefinition(prefix + "echo", "15 3 * * *", EchoHandler.Name, "{\"count\":2}"));
    }
}
