using JobQueue.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.TestWorker;

/// <summary>
/// A runner in its own process for the heartbeat tests, so that a test can freeze it (SIGSTOP): one
/// single pass of job type <c>test_heartbeat</c> with a short lease, whose handler announces
/// "STARTED &lt;job id&gt;", waits for a line on stdin and returns <c>{"by":"worker"}</c> ("CANCELLED"
/// when its token fires). At the end it prints "RESULT &lt;status&gt;" per job of the pass.
///
///   JobQueue.TestWorker heartbeat &lt;connection string&gt; &lt;lease seconds&gt;
/// </summary>
internal static class HeartbeatWorker
{
    public static async Task<int> RunAsync(string connectionString, string leaseSeconds)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [JobQueueServiceCollectionExtensions.ConnectionStringKey] = connectionString,
                ["Runner:LeaseSeconds"] = leaseSeconds,
                ["Runner:RunnerName"] = "heartbeat-worker",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddJobQueue(config).AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling();
        services.AddJobHandler<WaitForStdinHandler>();
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(Limit: 1, Force: true));
        foreach (var result in report.Results)
        {
            Console.Out.WriteLine($"RESULT {result.Status}");
        }

        Console.Out.Flush();
        return 0;
    }

    private sealed class Payload;

    private sealed class WaitForStdinHandler : JobHandler<Payload>
    {
        public override string TaskType => "test_heartbeat";

        protected override async Task<object?> HandleAsync(Payload payload, JobContext context, CancellationToken cancellationToken)
        {
            Console.Out.WriteLine($"STARTED {context.JobId}");
            Console.Out.Flush();
            try
            {
                await Console.In.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("CANCELLED");
                Console.Out.Flush();
                throw;
            }

            return new { by = "worker" };
        }
    }
}
