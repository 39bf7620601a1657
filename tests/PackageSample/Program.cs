// A team's own app on the JobQueue packages: the engine, one module (cleanup) and a handler of its own.
// Run by infra/local/test.d/package-sample.sh against a fresh database:
//   dotnet run -- "<owner connection string>"
// It migrates the database, enqueues one "greet" job, runs a runner pass, and checks the job's output.
using System.Text.Json;
using JobQueue;
using JobQueue.Database;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder();
builder.Configuration["Database:ConnectionString"] = args[0];
builder.Services.AddJobQueue(builder.Configuration).AddCleanupJob().AddJobHandler<GreetHandler>();
using var host = builder.Build();
await host.StartAsync();

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await host.Services.GetRequiredService<DatabaseReadiness>().WaitAsync(timeout.Token);

var payload = JsonSerializer.SerializeToElement(new { name = "package sample" });
var id = await host.Services.GetRequiredService<JobQueueStore>().EnqueueAsync(new EnqueueRequest("greet", payload), timeout.Token);
var report = await host.Services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(), timeout.Token);
var job = await host.Services.GetRequiredService<JobReadStore>().GetAsync(id, timeout.Token);
await host.StopAsync();

var output = job?.Output?.GetRawText() ?? "null";
var ok = job?.Status == JobStatus.Succeeded && output.Contains("hello, package sample", StringComparison.Ordinal);
Console.WriteLine($"job {id}: {job?.Status}, output {output}, pass processed {report.Processed}");
Console.WriteLine(ok ? "package-sample: 1 passed, 0 failed" : "package-sample: 0 passed, 1 failed");
return ok ? 0 : 1;

/// <summary>The app's own job type: its payload, its handler.</summary>
public sealed class GreetPayload
{
    public string Name { get; set; } = "";
}

public sealed class GreetHandler : JobHandler<GreetPayload>
{
    public override string TaskType => "greet";

    protected override Task<object?> HandleAsync(GreetPayload payload, JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(new { greeting = $"hello, {payload.Name}" });
}
