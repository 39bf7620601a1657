using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Infrastructure;

/// <summary>The library's runner and store over a test database, with the given handlers and settings.</summary>
public sealed class RunnerHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;

    public RunnerHarness(TestDatabase db, IEnumerable<IJobHandler> handlers, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Runner:Backoff:BaseSeconds"] = "0",
            ["Runner:Backoff:MaxSeconds"] = "0",
            ["Runner:RunnerName"] = "test",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        services = db.BuildServices(s =>
        {
            foreach (var h in handlers)
            {
                s.AddSingleton(h);
            }
        }, all);
    }

    public JobRunner Runner => services.GetRequiredService<JobRunner>();

    public JobQueueStore Store => services.GetRequiredService<JobQueueStore>();

    public JobReadStore Jobs => services.GetRequiredService<JobReadStore>();

    public JobActionStore Actions => services.GetRequiredService<JobActionStore>();

    public QueueSettingsStore Settings => services.GetRequiredService<QueueSettingsStore>();

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    public Task<RunnerReport> PassAsync(int? limit = null, bool force = false) =>
        Runner.RunPassAsync(new RunPassRequest(limit, force));

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
