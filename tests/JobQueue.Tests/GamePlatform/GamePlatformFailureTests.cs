using GamePlatform.Simulator;
using JobQueue.GamePlatform;
using JobQueue.Handlers;
using JobQueue.Queue;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.GamePlatform;

/// <summary>
/// 429 / 5xx / timeouts: retried inside the client first; when that is not enough the attempt fails
/// and the queue retries the job (real runner passes), which is never lost.
/// </summary>
public sealed class GamePlatformFailureTests
{
    [Fact]
    public async Task Transient_5xx_429_and_timeouts_are_retried_inside_the_client()
    {
        await using var gp = await GamePlatformHarness.StartAsync();
        var client = gp.Services.GetRequiredService<GamePlatformClientFactory>().Create();

        gp.Sim.Faults = new SimulatorFaults { Fail5xx = 2, Status5xx = 500 };
        Assert.Equal(5, (await client.GetTotalsAsync("gp-user-101")).Matches);
        Assert.Equal(3, gp.Sim.Requests("totals"));

        gp.Sim.Faults = new SimulatorFaults { Fail429 = 2, RetryAfterSeconds = 0 };
        Assert.Equal(5, (await client.GetActivityAfterAsync("gp-user-102", 0, 100)).Count);
        Assert.Equal(2, gp.Sim.Requests("fault:429"));

        gp.Sim.Faults = new SimulatorFaults { Timeouts = 1, HangMs = 10_000 };
        Assert.Equal(5, (await client.GetTotalsAsync("gp-user-103")).Matches);
        Assert.Equal(1, gp.Sim.Requests("fault:504"));
    }

    [Fact]
    public async Task A_retry_after_within_the_bound_is_honoured_and_a_longer_one_is_left_to_the_queue()
    {
        await using var gp = await GamePlatformHarness.StartAsync();
        var client = gp.Services.GetRequiredService<GamePlatformClientFactory>().Create();

        gp.Sim.Faults = new SimulatorFaults { Fail429 = 1, RetryAfterSeconds = 1 };
        Assert.Equal(5, (await client.GetTotalsAsync("gp-user-101")).Matches);

        gp.Sim.Faults = new SimulatorFaults { Fail429 = 1, RetryAfterSeconds = 120 };
        var e = await Assert.ThrowsAsync<GamePlatformApiException>(() => client.GetTotalsAsync("gp-user-101"));
        Assert.Equal(GamePlatformFailure.RateLimited, e.Failure);
        Assert.Contains("Retry-After 120", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, gp.Sim.Requests("fault:429"));
    }

    [Fact]
    public async Task Sync_with_the_api_down_fails_the_attempt_and_the_queue_retries_it_to_success()
    {
        await using var gp = await GamePlatformHarness.StartAsync();
        gp.Sim.Faults = new SimulatorFaults { Down = true };
        var id = await gp.EnqueueAsync(GamePlatformSyncHandler.Name, new { }, maxAttempts: 5);

        var first = await gp.Runner.RunPassAsync(new(Limit: 1));
        var afterFirst = (await gp.Jobs.GetAsync(id))!;
        Assert.Equal(JobStatus.Pending, afterFirst.Status);
        Assert.Equal(1, first.Retried);
        Assert.Contains("0 of 6 competitors done", afterFirst.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_activity"));

        gp.Sim.Faults = new SimulatorFaults();
        var job = await gp.RunUntilFinishedAsync(id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(6, JobOutput.Of(job).Num("synced"));
        Assert.Equal(2, await gp.CountAsync("SELECT count(*) FROM job_queue_attempts WHERE job_id = $1", id));
    }

    [Fact]
    public async Task Sweep_with_5xx_beyond_the_client_retries_is_retried_by_the_queue_and_loses_no_flag()
    {
        await using var gp = await GamePlatformHarness.StartAsync();
        await gp.RunAsync(GamePlatformSyncHandler.Name, new { });
        gp.Sim.Faults = new SimulatorFaults { Fail5xx = 4 * 6, Only = "totals" };
        var id = await gp.EnqueueAsync(GamePlatformTotalsSweepHandler.Name, new { batchSize = 10 }, maxAttempts: 5);

        await gp.Runner.RunPassAsync(new(Limit: 1));
        Assert.Equal(JobStatus.Pending, (await gp.Jobs.GetAsync(id))!.Status);
        Assert.Equal(6, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh AND totals_claimed_by IS NULL"));

        var job = await gp.RunUntilFinishedAsync(id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(6, JobOutput.Of(job).Num("flagsCleared"));
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh"));
    }

    [Fact]
    public async Task Timeouts_on_every_attempt_end_in_a_clear_final_failure_after_max_attempts()
    {
        await using var gp = await GamePlatformHarness.StartAsync(new Dictionary<string, string?>
        {
            ["GamePlatform:AttemptTimeoutSeconds"] = "0.1",
            ["GamePlatform:MaxRetries"] = "1",
        });
        gp.Sim.Faults = new SimulatorFaults { Timeouts = 1000, HangMs = 5000, Only = "activity" };

        var job = await gp.RunAsync(GamePlatformSyncHandler.Name, new { coachId = "coach-1" }, maxAttempts: 2);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Contains("timed out", job.LastError, StringComparison.Ordinal);
        Assert.Contains("0 of 3 competitors done", job.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_circuit_fails_the_run_fast_so_the_queue_retries_it_later()
    {
        await using var gp = await GamePlatformHarness.StartAsync(new Dictionary<string, string?>
        {
            ["GamePlatform:CircuitBreakerMinimumThroughput"] = "4",
            ["GamePlatform:MaxConcurrency"] = "1",
            ["GamePlatform:MaxRetries"] = "1",
        });
        gp.Sim.Faults = new SimulatorFaults { Down = true };

        var job = await gp.RunAsync(GamePlatformSyncHandler.Name, new { }, maxAttempts: 1);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("0 of 6 competitors done", job.LastError, StringComparison.Ordinal);
        // after the circuit opened, the remaining competitors were not sent to the API at all
        Assert.True(gp.Sim.Requests("activity") < 6 * 2, $"requests: {gp.Sim.Requests("activity")}");
    }

    [Fact]
    public async Task A_rejected_api_key_fails_the_job_for_good_without_revealing_the_key()
    {
        const string wrongKey = "wrong-key-3f9a1c";
        await using var gp = await GamePlatformHarness.StartAsync(apiKey: wrongKey);

        var job = await gp.RunAsync(GamePlatformSyncHandler.Name, new { }, maxAttempts: 5);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Contains("rejects the API key", job.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, job.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(gp.Simulator.ApiKey, job.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_api_key_secret_the_sync_fails_at_once_naming_the_secret()
    {
        await using var gp = await GamePlatformHarness.StartAsync(apiKey: "");

        var job = await gp.RunAsync(GamePlatformSyncHandler.Name, new { }, maxAttempts: 3);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Contains("game-platform-api-key", job.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_base_url_the_jobs_fail_at_once_naming_the_setting()
    {
        await using var gp = await GamePlatformHarness.StartAsync(new Dictionary<string, string?> { ["GamePlatform:BaseUrl"] = "" });

        var job = await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { }, maxAttempts: 3);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Contains("GamePlatform:BaseUrl", job.LastError, StringComparison.Ordinal);
    }
}
