using JobQueue.Tests.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using JobQueue.Database;
using JobQueue.Queue;
using JobQueue.Tests.Recovery;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace JobQueue.Tests.Chaos;

/// <summary>
/// The chaos test (issue 12, item 5): several runner processes (the server, with the chaos task type)
/// drain a queue while some are killed with kill -9 in the middle of a job, PostgreSQL is restarted
/// (fast, then immediate), and a process is frozen (SIGSTOP) past its leases and then thawed. From the
/// attempt records and the execution logs: no job lost, none completed twice, no attempt executed
/// twice, every re-execution explained by a fault; the time from a kill to the job running again is
/// reported. Small in CI; <c>infra/local/chaos.sh</c> runs it at full size. Uses a cluster of its
/// own (port + 52).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly OwnCluster cluster = new(52);
    private readonly ChaosOptions options = ChaosOptions.FromEnvironment();
    private readonly string directory = Directory.CreateTempSubdirectory("jobqueue-chaos-").FullName;

    public Task InitializeAsync()
    {
        cluster.Run("destroy");
        cluster.Run("start");
        return new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas).MigrateAsync(cluster.OwnerConnectionString);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        cluster.Run("destroy");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Runner_processes_survive_kills_restarts_and_freezes_without_losing_or_repeating_work()
    {
        await using var owner = NpgsqlDataSource.Create(cluster.OwnerConnectionString);
        var store = new JobQueueStore(owner);
        var random = new Random(12);
        for (var done = 0; done < options.Jobs; done += 1000)
        {
            var payloads = Enumerable.Range(0, Math.Min(1000, options.Jobs - done))
                .Select(_ => string.Create(CultureInfo.InvariantCulture, $"{{\"ms\":{random.Next(options.MinMs, options.MaxMs + 1)}}}")).ToList();
            await store.EnqueueManyAsync("chaos_work", payloads, maxAttempts: 100);
        }

        var restarts = new List<RestartWindow>();
        int kills = 0, freezes = 0;
        var clock = Stopwatch.StartNew();
        await using (var workers = new ChaosWorkers(directory, cluster.RuntimeConnectionString, options))
        {
            workers.StartAll();
            var plan = Plan();
            for (var i = 0; i < plan.Count; i++)
            {
                await WaitForProgressAsync(owner, (i + 1.0) / (plan.Count + 1) * 0.9 * options.Jobs, $"event {i + 1} ({plan[i]})");
                switch (plan[i])
                {
                    case "kill":
                        await workers.KillAsync(await BusySlotAsync(workers, owner));
                        kills++;
                        break;
                    case "freeze":
                        await workers.FreezeAsync(await BusySlotAsync(workers, owner), options.Lease + TimeSpan.FromSeconds(3));
                        freezes++;
                        break;
                    default:
                        var mode = restarts.Count % 2 == 0 ? "restart" : "crash-restart";
                        var from = DateTimeOffset.UtcNow;
                        await Task.Run(() => cluster.Run(mode));
                        restarts.Add(new RestartWindow(mode == "restart" ? "fast" : "immediate", from, DateTimeOffset.UtcNow));
                        break;
                }

                output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} ({clock.Elapsed.TotalSeconds:0.0} s): {plan[i]} done");
            }

            await WaitForProgressAsync(owner, options.Jobs, "every job succeeded", TimeSpan.FromMinutes(options.Jobs > 5000 ? 15 : 5));
            var duration = clock.Elapsed;
            await workers.DisposeAsync();

            var analysis = ChaosAnalysis.Run(await JobsAsync(owner), await AttemptsAsync(owner),
                workers.All.SelectMany(w => ExecutionRecords.Parse(w.Name, w.ExecutionLog)).ToList(), workers.All, restarts);
            var keep = Environment.GetEnvironmentVariable("JOBQUEUE_CHAOS_KEEP") == "1";
            var summary = analysis.Summary(options, duration, kills, freezes, restarts) + (keep ? $"\n  logs: {directory}" : "");
            output.WriteLine(summary);
            if (Environment.GetEnvironmentVariable("JOBQUEUE_CHAOS_REPORT") is { Length: > 0 } report)
            {
                await File.WriteAllTextAsync(report, summary + "\n" + string.Join("\n", analysis.Violations.Take(50)) + "\n");
            }

            Assert.True(analysis.Violations.Count == 0, summary + "\n" + string.Join("\n", analysis.Violations.Take(30)) + $"\n(logs in {directory})");
            Assert.Equal(options.Kills, kills);
            Assert.Equal(options.Freezes, freezes);
            Assert.Equal(options.Restarts, restarts.Count);
            Assert.NotEmpty(analysis.KillToRerunSeconds);
            if (options.Freezes > 0)
            {
                // the frozen runner's late results were refused and its jobs ran elsewhere
                Assert.NotEmpty(analysis.FreezeToRerunSeconds);
                Assert.True(analysis.LateResultsRefused > 0, summary);
            }
        }

        if (Environment.GetEnvironmentVariable("JOBQUEUE_CHAOS_KEEP") != "1")
        {
            Directory.Delete(directory, recursive: true);
        }
        else
        {
            output.WriteLine("logs kept in " + directory);
        }
    }

    /// <summary>The faults in the order they happen: kills spread out, restarts and freezes between them.</summary>
    private List<string> Plan()
    {
        var plan = Enumerable.Repeat("kill", options.Kills).ToList();
        var others = Enumerable.Range(0, options.Restarts + options.Freezes).Select(i => i % 2 == 0 && i / 2 < options.Freezes ? "freeze" : "restart").ToList();
        others = others.Where(o => o == "freeze").Take(options.Freezes).Concat(others.Where(o => o == "restart").Take(options.Restarts)).ToList();
        for (var i = 0; i < others.Count; i++)
        {
            plan.Insert(Math.Min(plan.Count, (int)Math.Round((i + 1.0) * (plan.Count + 1) / (others.Count + 1))), others[i]);
        }

        return plan;
    }

    /// <summary>A slot whose process is in the middle of a job right now (a kill or freeze then interrupts work).</summary>
    private static async Task<int> BusySlotAsync(ChaosWorkers workers, NpgsqlDataSource owner)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var busy = workers.Current.Where(w => !w.Process.HasExited && w.InFlight().Count > 0).Select(w => w.Slot).ToList();
            if (busy.Count > 0)
            {
                return busy[Random.Shared.Next(busy.Count)];
            }

            // a fault needs work to hit: a backlog drained before the plan's faults is the test's sizing, say so
            Assert.True(await WorkLeftAsync(owner), "the backlog drained before the planned faults: more jobs or fewer slots (Runner:Concurrency)");

            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(2), "no worker has a job in flight");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> WorkLeftAsync(NpgsqlDataSource owner)
    {
        try
        {
            await using var left = owner.CreateCommand("SELECT count(*) FROM jobqueue.job_queue WHERE status <> 'succeeded'");
            return (long)(await left.ExecuteScalarAsync())! > 0;
        }
        catch (NpgsqlException)
        {
            return true; // the database is coming back from a restart: ask again
        }
    }

    private static async Task WaitForProgressAsync(NpgsqlDataSource owner, double succeeded, string what, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        while (true)
        {
            try
            {
                await using var cmd = owner.CreateCommand("SELECT count(*) FROM jobqueue.job_queue WHERE status = 'succeeded'");
                if ((long)(await cmd.ExecuteScalarAsync())! >= succeeded)
                {
                    return;
                }
            }
            catch (Exception e) when (DatabaseFailure.IsUnavailable(e))
            {
                // the cluster is restarting
            }

            Assert.True(sw.Elapsed < limit, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    private static async Task<Dictionary<Guid, string>> JobsAsync(NpgsqlDataSource owner)
    {
        var jobs = new Dictionary<Guid, string>();
        await using var cmd = owner.CreateCommand("SELECT id, status FROM jobqueue.job_queue");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            jobs[reader.GetGuid(0)] = reader.GetString(1);
        }

        return jobs;
    }

    private static async Task<List<AttemptRow>> AttemptsAsync(NpgsqlDataSource owner)
    {
        var rows = new List<AttemptRow>();
        await using var cmd = owner.CreateCommand("SELECT job_id, attempt, COALESCE(runner_id, ''), outcome FROM jobqueue.job_queue_attempts");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new AttemptRow(reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }
}
