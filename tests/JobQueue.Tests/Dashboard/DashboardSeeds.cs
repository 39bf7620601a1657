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
}
