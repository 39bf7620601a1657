// A runner in its own process, for the crash tests: it claims jobs through the library's real runner
// pass, announces each job it starts on stdout ("STARTED <job id>"), and then blocks in the handler
// until the test kills the process, so that the job's lease is held by a process that is gone.
//
//   JobQueue.TestWorker <connection string> <lease seconds>
//   JobQueue.TestWorker heartbeat <connection string> <lease seconds>   the heartbeat tests' worker (HeartbeatWorker.cs)
//   JobQueue.TestWorker chaos <execution log> [--Setting=value ...]   the chaos tests' worker (ChaosWorker.cs)
using JobQueue;
using JobQueue.Runner;
using JobQueue.TestWorker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

if (args.Length > 2 && args[0] == "heartbeat")
{
    return await HeartbeatWorker.RunAsync(args[1], args[2]);
}

if (args.Length > 1 && args[0] == "chaos")
{
    return await ChaosWorker.RunAsync(args[1], args[2..]);
}

var config = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        [JobQueueServiceCollectionExtensions.ConnectionStringKey] = args[0],
        ["Runner:LeaseSeconds"] = args[1],
        ["Runner:TimeBudgetSeconds"] = "1",
        ["Runner:ClaimMarginSeconds"] = "0",
        ["Runner:RunnerName"] = "test-worker",
    })
    .Build();
var services = new ServiceCollection();
services.AddJobQueue(config).AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling();
services.AddJobHandler<BlockingHandler>();
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(Limit: 1, Force: true));
return 0;

internal sealed class BlockingPayload;

internal sealed class BlockingHandler : JobHandler<BlockingPayload>
{
    public override string TaskType => "test_block";

    protected override async Task<object?> HandleAsync(BlockingPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        Console.Out.WriteLine($"STARTED {context.JobId}");
        Console.Out.Flush();
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        return null;
    }
}
