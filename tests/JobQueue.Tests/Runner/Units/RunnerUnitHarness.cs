using System.Diagnostics;
using System.Diagnostics.Metrics;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobQueue.Tests.Runner.Units;

/// <summary>
/// The runner's parts on a <see cref="FakeTimeProvider"/> and an <see cref="InMemoryRunnerStore"/>: no
/// database, no real waiting for time to pass (only for the handlers' continuations, milliseconds).
/// </summary>
internal sealed class RunnerUnitHarness : IDisposable
{
    private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public RunnerUnitHarness(RunnerOptions? options = null, params IJobHandler[] handlers)
    {
        Options = options ?? new RunnerOptions { LeaseSeconds = 3 };
        Handlers = new JobHandlerRegistry(handlers);
        Slots = new RunnerSlots(Microsoft.Extensions.Options.Options.Create(Options));
        Metrics = new JobQueueMetrics(meters.GetRequiredService<IMeterFactory>(), Time);
        Executor = new JobExecutor(Handlers, Store, new RetryBackoff(Microsoft.Extensions.Options.Options.Create(Options)), Options, Time, NullLogger.Instance);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public InMemoryRunnerStore Store { get; } = new();

    public RunnerOptions Options { get; }

    public JobHandlerRegistry Handlers { get; }

    public RunnerSlots Slots { get; }

    public JobQueueMetrics Metrics { get; }

    public JobExecutor Executor { get; }

    public CancellationTokenSource HostStopping { get; } = new();

    public AttemptCompleter Completer(SessionDatabaseRetry dbRetry) =>
        new(Store, Slots, Metrics, dbRetry, Time, NullLogger.Instance, "unit-runner", HostStopping.Token);

    /// <summary>A pass with <paramref name="limit"/> and a budget of <paramref name="budget"/> from now.</summary>
    public JobProducer Pass(int? limit, TimeSpan budget, out PassMode mode)
    {
        var now = Time.GetUtcNow();
        mode = new PassMode("unit-runner", limit, now + budget, now + budget, force: false, NullLogger.Instance);
        var dbRetry = new SessionDatabaseRetry(Time);
        return new JobProducer(mode, Store, Executor, Completer(dbRetry), dbRetry, Slots, Options, Metrics, Time, NullLogger.Instance, HostStopping.Token);
    }

    /// <summary>Waits (real time, briefly) until the handlers' and the loop's continuations made <paramref name="condition"/> true.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting until " + what);
            await Task.Delay(1);
        }
    }

    /// <summary>Moves the fake clock on in steps of <paramref name="step"/> until <paramref name="condition"/> holds, letting the loop run between steps.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step, TimeSpan atMost, string what)
    {
        var end = Time.GetUtcNow() + atMost;
        while (!condition())
        {
            Assert.True(Time.GetUtcNow() < end, $"not {what} within {atMost.TotalSeconds} s of fake time");
            Time.Advance(step);
            for (var i = 0; i < 5 && !condition(); i++)
            {
                await Task.Delay(1);
            }
        }
    }

    public static DelegateHandler Handler(string taskType, Func<CancellationToken, Task<object?>> run) =>
        new(taskType, (_, _, ct) => run(ct));

    /// <summary>A handler that runs until its token fires.</summary>
    public static DelegateHandler UntilCancelled(string taskType) => Handler(taskType, async ct =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return null;
    });

    /// <summary>A completer over this store, and <paramref name="count"/> jobs claimed into taken slots.</summary>
    public async Task<(AttemptCompleter Completer, List<Job> Jobs)> ClaimedAsync(int count)
    {
        var jobs = Enumerable.Range(0, count).Select(_ => Store.Add("t")).ToList();
        Assert.Equal(count, Slots.TryTake(count));
        await Store.ClaimAsync(count, TimeSpan.FromMinutes(5), "unit-runner", CancellationToken.None);
        return (Completer(new SessionDatabaseRetry(Time)), jobs);
    }

    public void Dispose()
    {
        HostStopping.Dispose();
        meters.Dispose();
    }
}
