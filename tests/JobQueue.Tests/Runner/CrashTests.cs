using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Runner;

/// <summary>A runner process killed while it holds a lease: its job is rescued and completes.</summary>
public sealed class CrashTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task A_job_held_by_a_killed_runner_process_is_rescued_after_its_lease_and_completes()
    {
        var completedBy = new List<int>();
        await using var h = new RunnerHarness(db, [new DelegateHandler("test_block", (_, ctx, _) =>
        {
            completedBy.Add(ctx.Attempt);
            return Task.FromResult<object?>(new { rescued = true });
        })]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("test_block", MaxAttempts: 3));

        using var worker = StartWorker(db.AppConnectionString, leaseSeconds: 2);
        var line = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal($"STARTED {id}", line);
        var held = (await h.Jobs.GetAsync(id))!;
        Assert.Equal("processing", held.Status);
        Assert.StartsWith("test-worker:", held.LockedBy);

        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();

        // The lease is still held by the dead process: nobody else may take the job yet.
        Assert.Equal(0, (await h.PassAsync(force: true)).Processed);

        // its last heartbeat (before the kill) set the lease's end
        var leaseEnd = (await h.Jobs.GetAsync(id))!.LockedUntil!.Value;
        await Task.Delay(leaseEnd - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        var report = await h.PassAsync(force: true);

        var row = Assert.Single(report.Results);
        Assert.Equal((id, "succeeded", 2), (row.Id, row.Status, row.Attempts));
        Assert.Equal([2], completedBy);
        var history = await h.Jobs.GetAttemptsAsync(id);
        Assert.Equal(["lease_expired", "succeeded"], history.Select(a => a.Outcome));
        Assert.StartsWith("test-worker:", history[0].RunnerId);
    }

    private static Process StartWorker(string connectionString, int leaseSeconds) =>
        TestWorkerProcess.Start([connectionString, leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
}
