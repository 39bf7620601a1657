using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Maintenance;

/// <summary>
/// This instance's claim to lead the queue's upkeep (jobqueue.job_queue_leader_elect,
/// Database/Schema/functions/maintenance/job_queue_leader_elect.sql): a lease row that the leader
/// renews on every round and that any other instance may take once it has expired, so that of all the
/// instances of both hosts exactly one leads, and another takes over within
/// <see cref="MaintenanceOptions.LeaderLeaseSeconds"/> when the leader dies or freezes.
/// </summary>
public sealed partial class LeaderElector(MaintenanceStore store, IOptions<MaintenanceOptions> options, ILogger<LeaderElector> logger)
{
    /// <summary>The lease's name.</summary>
    public const string MaintenanceLease = "maintenance";

    /// <summary>This instance, as written in the lease row: machine, process and a random part (a restarted process is a new leader).</summary>
    public string LeaderId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Whether the last election this instance ran made it the leader.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Takes or renews the lease; true while this instance leads.</summary>
    public async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        var ttl = TimeSpan.FromSeconds(Math.Max(1, options.Value.LeaderLeaseSeconds));
        var leads = await store.ElectAsync(MaintenanceLease, LeaderId, ttl, cancellationToken);
        if (leads != IsLeader)
        {
            if (leads)
            {
                LogElected(logger, LeaderId);
            }
            else
            {
                LogLost(logger, LeaderId);
            }
        }

        IsLeader = leads;
        return leads;
    }

    /// <summary>Hands the lease over at once (on shutdown) instead of letting it expire.</summary>
    public async Task ResignAsync(CancellationToken cancellationToken)
    {
        if (!IsLeader)
        {
            return;
        }

        IsLeader = false;
        await store.ResignAsync(MaintenanceLease, LeaderId, cancellationToken);
        LogResigned(logger, LeaderId);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Queue maintainer {LeaderId} now leads the upkeep")]
    private static partial void LogElected(ILogger logger, string leaderId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Queue maintainer {LeaderId} no longer leads the upkeep (another instance took over)")]
    private static partial void LogLost(ILogger logger, string leaderId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Queue maintainer {LeaderId} handed over the upkeep")]
    private static partial void LogResigned(ILogger logger, string leaderId);
}
