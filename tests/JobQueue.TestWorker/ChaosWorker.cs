using System.Globalization;
using JobQueue.Runner;
using JobQueue.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.TestWorker;

/// <summary>
/// The chaos tests' runner process: JobQueue.Server itself (its very configuration: database start-up
/// with retries, runner loop, leader-elected maintainer, outage handling) plus one task type,
/// <c>chaos_work</c>, whose handler writes every execution to an execution log of this process:
/// <c>S &lt;job id&gt; &lt;attempt&gt; &lt;runner id&gt; &lt;unix ms&gt;</c> when it starts and
/// <c>E &lt;job id&gt; &lt;attempt&gt; &lt;unix ms&gt;</c> when its work is done (each line flushed at
/// once, so a kill -9 loses none). Settings come as <c>--Key=value</c> arguments.
/// </summary>
public static class ChaosWorker
{
    public static async Task<int> RunAsync(string executionLog, string[] settings)
    {
        var builder = WebApplication.CreateBuilder(settings);
        JobQueueServer.ConfigureBuilder(builder);
        builder.Services.AddSingleton(new ExecutionLog(executionLog));
        builder.Services.AddJobHandler<ChaosHandler>();
        var app = builder.Build();
        await JobQueueServer.ConfigureAppAsync(app);
        await app.RunAsync();
        return 0;
    }
}

/// <summary>One process's execution log (append-only, one flushed line per event).</summary>
public sealed class ExecutionLog(string path) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    public void Write(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();
}

public sealed class ChaosPayload
{
    public int Ms { get; set; }
}

/// <summary>Works for <c>ms</c> milliseconds (deaf to the pass's deadline: only a fault may interrupt it).</summary>
public sealed class ChaosHandler(ExecutionLog log) : JobHandler<ChaosPayload>
{
    public override string TaskType => "chaos_work";

    protected override async Task<object?> HandleAsync(ChaosPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        log.Write(string.Create(CultureInfo.InvariantCulture, $"S {context.JobId} {context.Attempt} {context.RunnerId} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
        await Task.Delay(Math.Clamp(payload.Ms, 0, 60_000), CancellationToken.None);
        log.Write(string.Create(CultureInfo.InvariantCulture, $"E {context.JobId} {context.Attempt} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
        return null;
    }
}
