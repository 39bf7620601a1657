using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Maintenance;

/// <summary>
/// Of several instances running the maintainer, exactly one leads the upkeep, and another takes over
/// when the leader stops renewing its lease (it died or froze) or hands over on shutdown.
/// </summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> ShortLease = new() { ["Maintenance:LeaderLeaseSeconds"] = "1" };

    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task One_instance_leads_and_another_takes_over_once_the_leader_stops_renewing()
    {
        var instances = Enumerable.Range(0, 3).Select(_ => db.BuildServices(settings: ShortLease)).ToList();
        try
        {
            var maintainers = instances.Select(s => s.GetRequiredService<QueueMaintainer>()).ToList();
            Assert.Equal(3, maintainers.Select(m => m.LeaderId).Distinct().Count());

            var first = await Task.WhenAll(maintainers.Select(m => m.RunRoundAsync(CancellationToken.None)));
            var leader = Assert.Single(Enumerable.Range(0, 3), i => first[i].Leader);
            Assert.Equal(maintainers[leader].LeaderId, await instances[0].GetRequiredService<MaintenanceStore>().GetLeaderAsync(LeaderElector.MaintenanceLease, CancellationToken.None));

            // the leader renews on every round; the others keep out
            for (var round = 0; round < 3; round++)
            {
                var rounds = await Task.WhenAll(maintainers.Select(m => m.RunRoundAsync(CancellationToken.None)));
                Assert.Equal(Enumerable.Range(0, 3).Select(i => i == leader), rounds.Select(r => r.Leader));
            }

            // the leader dies (no more rounds): after its lease another instance leads
            await Task.Delay(1500);
            var others = Enumerable.Range(0, 3).Where(i => i != leader).ToList();
            var after = await Task.WhenAll(others.Select(i => maintainers[i].RunRoundAsync(CancellationToken.None)));
            var successor = others[Assert.Single(Enumerable.Range(0, 2), i => after[i].Leader)];

            // the old leader comes back (it was frozen): it does not lead any more
            Assert.False((await maintainers[leader].RunRoundAsync(CancellationToken.None)).Leader);
            Assert.True((await maintainers[successor].RunRoundAsync(CancellationToken.None)).Leader);
        }
        finally
        {
            foreach (var s in instances)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_leader_that_stops_hands_over_at_once()
    {
        await using var a = db.BuildServices(settings: new Dictionary<string, string?> { ["Maintenance:LeaderLeaseSeconds"] = "600" });
        await using var b = db.BuildServices();
        using (var stop = new CancellationTokenSource())
        {
            var loop = a.GetRequiredService<QueueMaintainer>().RunAsync(stop.Token);
            var store = b.GetRequiredService<MaintenanceStore>();
            while (await store.GetLeaderAsync(LeaderElector.MaintenanceLease, CancellationToken.None) is null)
            {
                await Task.Delay(20);
            }

            Assert.False((await b.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None)).Leader);
            await stop.CancelAsync();
            await loop.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // a's lease had ten minutes left: it resigned, so b leads now
        Assert.True((await b.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None)).Leader);
    }

    [Fact]
    public async Task The_leader_samples_the_queue_gauges_on_its_own_schedule_without_any_runner_pass()
    {
        await using var services = db.BuildServices();
        using var meters = new MeterCapture(services);
        var store = services.GetRequiredService<JobQueueStore>();
        await services.GetRequiredService<QueueSettingsStore>().SetSettingsAsync(false, "nobody runs jobs", "test");
        await store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddMinutes(-10)));
        await store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddMinutes(-1)));

        var round = await services.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None);
        meters.Observe();

        Assert.True(round.GaugesSampled);
        Assert.Equal(2, meters.Get("jobqueue.queue.depth"));
        Assert.InRange(meters.Get("jobqueue.queue.oldest_pending_age"), 9 * 60, 60 * 60);
        // not again before Maintenance:GaugeIntervalSeconds (10 s)
        Assert.False((await services.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None)).GaugesSampled);
    }
}
