using JobQueue.Database;
using JobQueue.Maintenance;
using Microsoft.Extensions.Options;

namespace JobQueue.Server;

/// <summary>
/// Server only: the library's <see cref="QueueMaintainer"/> as a loop (a round every
/// <c>Maintenance:IntervalSeconds</c>, default 1 s; it leads only when elected among all instances),
/// once the database start-up has succeeded. <c>Maintenance:Enabled=false</c> turns it off here.
/// </summary>
public sealed class MaintenanceHostedService(QueueMaintainer maintainer, DatabaseReadiness readiness, IOptions<MaintenanceOptions> options)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await readiness.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!stoppingToken.IsCancellationRequested)
        {
            await maintainer.RunAsync(stoppingToken);
        }
    }
}
