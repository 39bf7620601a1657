using System.Collections.Concurrent;
using System.Net.Http.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Cutover;

/// <summary>A converted pg_net job: the old job's name (without prefix), the path it calls, and a header it must send.</summary>
public sealed record ExpectedCall(string OldJob, string Path, string Header, string HeaderValue);

/// <summary>
/// The cut-over of one seed's database, end to end, as a new user would run it (the server's
/// <c>cutover</c> subcommand, what infra/local/cutover.sh runs): plan as the migrator (sees none of
/// postgres's pg_cron jobs, and says so) and as the superuser, both changing nothing (pg_dump of public,
/// every row, the pg_cron jobs); apply refused until the secrets are stored, then applied, then nothing
/// to do; the adopted jobs keep ids and due times and the due ones run once against a loopback receiver;
/// the converted schedules' jobs call the receiver with the secrets from settings; app code using the old
/// names still enqueues into JobQueue; rollback restores public and the pg_cron jobs; no secret value
/// appears in any output or log.
/// </summary>
public abstract class CutoverSeedTest : IAsyncLifetime
{
    private readonly ConcurrentQueue<Guid> ran = new();

    protected HttpReceiver Receiver { get; private set; } = null!;

    protected SeedDatabase Seeded { get; private set; } = null!;

    protected abstract string Seed { get; }

    /// <summary>The values of the seed's placeholders (secrets stored in Vault, cron_secrets or settings), given the receiver's base URL.</summary>
    protected abstract Dictionary<string, string> SeedValues(string receiver);

    /// <summary>The secrets JobQueue must have for the converted schedules: <c>Secrets:&lt;name&gt;</c> settings.</summary>
    protected abstract Dictionary<string, string?> SecretSettings(string receiver);

    /// <summary>Secret values that must never be printed or logged (keys, tokens).</summary>
    protected abstract IEnumerable<string> SecretValues { get; }

    protected abstract IReadOnlyList<string> AdoptedTaskTypes { get; }

    /// <summary>The ids of the legacy jobs that must be adopted, and of those due now (to run once).</summary>
    protected abstract Task<(IReadOnlyList<Guid> Adopted, IReadOnlyList<Guid> Due)> ExpectedJobsAsync();

    protected abstract IReadOnlyList<ExpectedCall> Conversions { get; }

    /// <summary>App code calling the old names; returns the JobQueue job it enqueued (null: the seed has no old names to call).</summary>
    protected abstract Task<Guid?> AppCodeEnqueuesAsync();

    /// <summary>The seed's own checks right after apply.</summary>
    protected virtual Task AfterApplyAsync() => Task.CompletedTask;

    private Dictionary<string, string?> CliSettings(bool withSecrets) =>
        new Dictionary<string, string?>
        {
            ["HttpJobs:AllowedHosts"] = "127.0.0.1",
            ["HttpJobs:AllowPrivateNetworks"] = "true",
            // pg_cron lives in the cluster's database jobqueue, not in the seed's (on Supabase it is the same database)
            ["Cron:Database"] = "jobqueue",
        }.Concat(withSecrets ? SecretSettings(Receiver.BaseUrl.ToString().TrimEnd('/')) : []).Concat(SecretDestinations()).ToDictionary();

    /// <summary>Each secret may go to the loopback receiver only (HttpJobs:SecretDestinations): what the runbook has a team set first.</summary>
    private IEnumerable<KeyValuePair<string, string?>> SecretDestinations() =>
        SecretSettings("x").Keys
            .Select(key => new KeyValuePair<string, string?>(
                "HttpJobs:SecretDestinations:" + key["Secrets:".Length..], Receiver.BaseUrl.ToString().TrimEnd('/')));

    public async Task InitializeAsync()
    {
        Receiver = await HttpReceiver.StartAsync();
        Seeded = await SeedDatabase.CreateAsync(Seed, SeedValues(Receiver.BaseUrl.ToString().TrimEnd('/')));
    }

    public async Task DisposeAsync()
    {
        await Seeded.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    [Fact]
    public async Task Plan_apply_run_and_rollback()
    {
        var cli = new CutoverCli(CliSettings(withSecrets: false));
        var dump = await Seeded.DumpPublicAsync();
        var rows = await Seeded.RowsAsync("jobqueue.job_queue", "jobqueue.job_queue_settings");
        var cron = await Seeded.CronJobsAsync();
        var (adopted, due) = await ExpectedJobsAsync();
        var runAt = await RunAtAsync(adopted, "public.job_queue");

        // plan as the migrator: postgres's pg_cron jobs are invisible to it, and the plan says how to see them
        var asMigrator = await cli.RunAsync("plan", Seeded.MigratorConnectionString);
        Assert.True(asMigrator.ExitCode == 0, asMigrator.All);
        Assert.Contains("only the pg_cron jobs of role jobqueue are listed", asMigrator.Output, StringComparison.Ordinal);
        Assert.Contains("Username=postgres;Password=<password of postgres>", asMigrator.Output, StringComparison.Ordinal);

        // plan as the superuser: every job, the secrets by name; changes nothing
        var plan = await cli.RunAsync("plan", Seeded.SuperuserConnectionString);
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("dry run, nothing was changed", plan.Output, StringComparison.Ordinal);
        foreach (var c in Conversions)
        {
            Assert.Contains($"'{Seeded.Prefix}{c.OldJob}'", plan.Output, StringComparison.Ordinal);
        }

        var planJson = await cli.RunAsync("plan", Seeded.SuperuserConnectionString, json: true);
        Assert.True(planJson.ExitCode == 0, planJson.All);
        Assert.Equal(dump, await Seeded.DumpPublicAsync());
        Assert.Equal(rows, await Seeded.RowsAsync("jobqueue.job_queue", "jobqueue.job_queue_settings"));
        Assert.Equal(cron, await Seeded.CronJobsAsync());

        // apply without the secrets: refused, naming them, nothing changed
        if (Conversions.Count > 0)
        {
            var refused = await cli.RunAsync("apply", Seeded.SuperuserConnectionString);
            Assert.True(refused.ExitCode == 1, refused.All);
            Assert.Contains("REFUSED", refused.Output, StringComparison.Ordinal);
            foreach (var name in SecretSettings("x").Keys)
            {
                Assert.Contains(name["Secrets:".Length..] + ": MISSING", refused.Output, StringComparison.Ordinal);
            }

            Assert.Equal(dump, await Seeded.DumpPublicAsync());
            Assert.Equal(cron, await Seeded.CronJobsAsync());
        }

        var withSecrets = new CutoverCli(CliSettings(withSecrets: true));
        var apply = await withSecrets.RunAsync("apply", Seeded.SuperuserConnectionString);
        Assert.True(apply.ExitCode == 0, apply.All);
        Assert.Contains("-> applied", apply.Output, StringComparison.Ordinal);
        var again = await withSecrets.RunAsync("apply", Seeded.SuperuserConnectionString);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("-> nothing to do", again.Output, StringComparison.Ordinal);

        await AfterApplyAsync();

        // adopted: same ids, same due times
        Assert.Equal(runAt, await RunAtAsync(adopted, "jobqueue.job_queue"));
        var after = await Seeded.CronJobsAsync();
        foreach (var c in Conversions)
        {
            Assert.False(after.Single(j => j.Name == Seeded.Prefix + c.OldJob).Active);
            Assert.True(after.Single(j => j.Name == Seeded.Prefix + c.OldJob + "-jobqueue").Active);
        }

        // run them on JobQueue against the receiver: the converted schedules' jobs (fired as pg_cron would) and the adopted jobs
        await using (var api = await StartServerAsync())
        {
            foreach (var c in Conversions)
            {
                await Seeded.FireAsync(Seeded.Prefix + c.OldJob + "-jobqueue");
            }

            // a pause carried over from the legacy switch (seed 002's maintenance window) holds even for
            // forced passes: the operator resumes processing once the cut-over is checked
            await api.JsonAsync(HttpMethod.Put, "/api/admin/job-queue/settings", "{\"processingEnabled\":true}", Credentials.Admin, 200);
            for (var pass = 0; pass < 3; pass++)
            {
                await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"limit\":50,\"force\":true}", Credentials.Runner, 200);
            }

            foreach (var c in Conversions)
            {
                var calls = Receiver.Requests(c.Path);
                Assert.True(calls.Count >= 1, $"{c.OldJob}: no call to {c.Path}");
                Assert.Equal(c.HeaderValue, calls[0].Header(c.Header));
            }

            Assert.Equal(due.Order(), ran.Order());
            var future = adopted.Except(due).ToList();
            Assert.Equal(runAt.Where(r => future.Contains(r.Id)).ToList(), (await RunAtAsync(future, "jobqueue.job_queue")).ToList());
            Assert.All(await StatusesAsync(future), s => Assert.True(s is "pending" or "failed", s));

            if (await AppCodeEnqueuesAsync() is { } viaOldNames)
            {
                Assert.Equal(1L, await Seeded.Db.ScalarAsync<long>("SELECT count(*) FROM jobqueue.job_queue WHERE id = $1", viaOldNames));
            }

            var overApi = await api.JsonAsync(HttpMethod.Get, "/api/admin/cutover/plan", null, Credentials.Admin, 200);
            Assert.True(overApi.GetProperty("plan").GetProperty("nothingToDo").GetBoolean(), overApi.ToString());
            AssertNoSecret(string.Join("\n", api.Logs.Lines), "the server's log");
            AssertNoSecret(overApi.ToString(), "GET admin/cutover/plan");
        }

        // rollback: public and the pg_cron jobs as they were; JobQueue's data stays
        var rollback = await withSecrets.RunAsync("rollback", Seeded.SuperuserConnectionString);
        Assert.True(rollback.ExitCode == 0, rollback.All);
        Assert.Contains("-> rolled back", rollback.Output, StringComparison.Ordinal);
        var rollbackAgain = await withSecrets.RunAsync("rollback", Seeded.SuperuserConnectionString);
        Assert.Contains("nothing to roll back", rollbackAgain.Output, StringComparison.Ordinal);
        Assert.Equal(dump, await Seeded.DumpPublicAsync());
        Assert.Equal(Without(rows, "jobqueue."), Without(await Seeded.RowsAsync("jobqueue.job_queue", "jobqueue.job_queue_settings"), "jobqueue."));
        Assert.Equal(cron.Select(j => (j.Id, j.Name, j.Active, j.Command)), (await Seeded.CronJobsAsync()).Select(j => (j.Id, j.Name, j.Active, j.Command)));
        Assert.Equal(0L, await Seeded.Db.ScalarAsync<long>("SELECT count(*) FROM jobqueue.job_queue WHERE triggered_by LIKE 'cutover:%' AND status = 'pending'"));
        if (due.Count > 0)
        {
            // the jobs JobQueue ran are still pending in the legacy table: the report says so, by id
            Assert.Contains("already ran", rollback.Output, StringComparison.Ordinal);
            Assert.Contains(due[0].ToString(), rollback.Output, StringComparison.Ordinal);
        }

        // apply again later: the jobs the rollback cancelled are adopted again, the ones JobQueue ran are not run again
        var reapply = await withSecrets.RunAsync("apply", Seeded.SuperuserConnectionString);
        Assert.True(reapply.ExitCode == 0, reapply.All);
        Assert.All(await StatusesAsync(adopted.Except(due)), s => Assert.True(s is "pending" or "failed", s));
        Assert.All(await StatusesAsync(due), s => Assert.Equal("succeeded", s));
        var rollbackAgainLater = await withSecrets.RunAsync("rollback", Seeded.SuperuserConnectionString);
        Assert.True(rollbackAgainLater.ExitCode == 0, rollbackAgainLater.All);
        Assert.Equal(dump, await Seeded.DumpPublicAsync());

        foreach (var run in cli.Runs.Concat(withSecrets.Runs))
        {
            AssertNoSecret(run.All, "the cut-over's output");
        }
    }

    private void AssertNoSecret(string text, string where)
    {
        foreach (var value in SecretValues)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"a secret value appears in {where}");
        }
    }

    /// <summary>The public tables' part of a rows snapshot (JobQueue's own rows are allowed to change).</summary>
    private static string Without(string rows, string prefix) =>
        string.Join("== ", rows.Split("== ").Where(part => !part.StartsWith(prefix, StringComparison.Ordinal)));

    private async Task<IReadOnlyList<(Guid Id, DateTime RunAt)>> RunAtAsync(IReadOnlyList<Guid> ids, string table)
    {
        var column = table == "jobqueue.job_queue" ? "run_at" : await Seeded.SuperuserScalarAsync<string>(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'job_queue' AND column_name IN ('run_at', 'scheduled_at') LIMIT 1");
        var list = new List<(Guid, DateTime)>();
        foreach (var id in ids)
        {
            list.Add((id, await Seeded.SuperuserScalarAsync<DateTime>($"SELECT {column} FROM {table} WHERE id = $1", id)));
        }

        return list;
    }

    private async Task<IReadOnlyList<string>> StatusesAsync(IEnumerable<Guid> ids)
    {
        var list = new List<string>();
        foreach (var id in ids)
        {
            list.Add(await Seeded.Db.ScalarAsync<string>("SELECT status FROM jobqueue.job_queue WHERE id = $1", id));
        }

        return list;
    }

    private async Task<ApiServer> StartServerAsync()
    {
        var logs = new CapturingLoggerProvider();
        var settings = CliSettings(withSecrets: true);
        settings["Database:MigrationConnectionString"] = Seeded.SuperuserConnectionString;
        var receiver = Receiver;
        var server = await ApiTestServer.StartAsync(Seeded.Db, services =>
        {
            foreach (var type in AdoptedTaskTypes)
            {
                services.AddSingleton<JobQueue.Runner.IJobHandler>(new DelegateHandler(type, async (_, context, ct) =>
                {
                    ran.Enqueue(context.JobId);
                    using var http = new HttpClient();
                    using var response = await http.PostAsJsonAsync(receiver.Url($"/adopted/{context.JobId}"), new { context.TaskType }, ct);
                    return null;
                }));
            }
        }, settings, logs);
        return new ApiServer(server, logs);
    }

    /// <summary>The test server and its captured log.</summary>
    private sealed class ApiServer(ApiTestServer server, CapturingLoggerProvider logs) : IAsyncDisposable
    {
        public CapturingLoggerProvider Logs => logs;

        public Task<System.Text.Json.JsonElement> JsonAsync(HttpMethod method, string path, string? json, Credentials credentials, int status) =>
            server.JsonAsync(method, path, json, credentials, status);

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
