using JobQueue.Database;
using JobQueue.Runner;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Maintenance;

/// <summary>
/// The queue's background upkeep, run by one leader among all instances of both hosts (modelled on
/// River's maintenance services): each round the instance renews or takes the leader lease
/// (<see cref="LeaderElector"/>) and, while it leads, rescues expired leases
/// (<see cref="LeaseRescuer"/>), reports the final failures found by any rescue
/// (<see cref="FinalFailureReporter"/>) and samples the queue gauges every
/// <see cref="MaintenanceOptions.GaugeIntervalSeconds"/> (<see cref="QueueGaugeSampler"/>), so that the
/// "oldest pending job too old" alert has data whether or not any runner passes run, and repairs stale
/// held flags every <see cref="MaintenanceOptions.HeldRepairIntervalSeconds"/> (<see cref="HeldFlagRepairer"/>).
/// The server runs <see cref="RunAsync"/> (a round every <see cref="MaintenanceOptions.IntervalSeconds"/>),
/// the Functions app <see cref="RunOnceAsync"/> from its QueueMaintenance timer.
/// </summary>
public sealed partial class QueueMaintainer(
    LeaderElector leader,
    LeaseRescuer rescuer,
    FinalFailureReporter reporter,
    QueueGaugeSampler gauges,
    HeldFlagRepairer heldFlags,
    IOptions<MaintenanceOptions> options,
    TimeProvider time,
    ILogger<QueueMaintainer> logger)
{
    private readonly LogThrottle _outageLog = new(TimeSpan.FromSeconds(30), time);
    private long _lastGaugeSample;
    private long _lastHeldRepair;

    public string LeaderId => leader.LeaderId;

    /// <summary>One round: lead (or not), and do the upkeep while leading. Database errors propagate.</summary>
    public async Task<MaintenanceRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        if (!await leader.TryLeadAsync(cancellationToken))
        {
            return new MaintenanceRound(false, 0, 0, false, null);
        }

        var rescued = await rescuer.RescueAsync(cancellationToken);
        var reported = await reporter.ReportAsync(cancellationToken);
        var sampled = false;
        if (Due(_lastGaugeSample, options.Value.GaugeIntervalSeconds))
        {
            await gauges.SampleAsync(cancellationToken);
            _lastGaugeSample = time.GetTimestamp();
            sampled = true;
        }

        int? heldRepaired = null;
        if (Due(_lastHeldRepair, options.Value.HeldRepairIntervalSeconds))
        {
            heldRepaired = await heldFlags.RepairAsync(cancellationToken);
            _lastHeldRepair = time.GetTimestamp();
        }

        return new MaintenanceRound(true, rescued, reported, sampled, heldRepaired);
    }

    /// <summary>Never done yet (0), or done at least <paramref name="intervalSeconds"/> ago.</summary>
    private bool Due(long lastDone, double intervalSeconds) =>
        lastDone == 0 || time.GetElapsedTime(lastDone) >= TimeSpan.FromSeconds(intervalSeconds);

    /// <summary>
    /// One round for a timer tick (the Functions app's QueueMaintenance): while the database is
    /// unavailable the round is skipped with one warning line at most every 30 s (the next tick
    /// retries) instead of a failed invocation with a stack trace per tick.
    /// </summary>
    public async Task<MaintenanceRound?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunRoundAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFailure.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            if (_outageLog.ShouldLog(out var skipped))
            {
                LogTickSkipped(logger, DatabaseFailure.Describe(e), skipped);
            }

            return null;
        }
    }

    /// <summary>
    /// The server's loop: a round every <see cref="MaintenanceOptions.IntervalSeconds"/>; after a failed
    /// round it waits <see cref="OutageBackoff"/> (1 s doubling to 30 s), logging one line per failed
    /// round; on shutdown it hands the leadership over.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.IntervalSeconds));
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = interval;
                try
                {
                    await RunRoundAsync(stoppingToken);
                    if (failures > 0)
                    {
                        LogRecovered(logger, failures);
                    }

                    failures = 0;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    wait = OutageBackoff.After(failures);
                    if (DatabaseFailure.IsUnavailable(e))
                    {
                        LogRoundFailed(logger, failures, DatabaseFailure.Describe(e), Math.Round(wait.TotalSeconds, 1));
                    }
                    else
                    {
                        LogRoundError(logger, e, failures, Math.Round(wait.TotalSeconds, 1));
                    }
                }

                await Task.Delay(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ResignQuietlyAsync();
        }
    }

    private async Task ResignQuietlyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await leader.ResignAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException || DatabaseFailure.IsUnavailable(e))
        {
            // the lease expires by itself
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning,
        Message = "Queue maintenance round failed {Failures} times in a row, the database is unavailable ({Error}); next round in {RetryInSeconds} s")]
    private static partial void LogRoundFailed(ILogger logger, int failures, string error, double retryInSeconds);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Error,
        Message = "Queue maintenance round failed {Failures} times in a row; next round in {RetryInSeconds} s")]
    private static partial void LogRoundError(ILogger logger, Exception exception, int failures, double retryInSeconds);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Information, Message = "Queue maintenance works again after {Failures} failed rounds")]
    private static partial void LogRecovered(ILogger logger, int failures);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Warning,
        Message = "Queue maintenance tick skipped, the database is unavailable ({Error}); {Skipped} more skipped since the last line")]
    private static partial void LogTickSkipped(ILogger logger, string error, int skipped);
}

/// <summary>
/// What one maintenance round did: whether this instance leads, jobs rescued, final failures reported,
/// gauges sampled, jobs whose held flag was repaired (null: no repair this round).
/// </summary>
public sealed record MaintenanceRound(bool Leader, int Rescued, int Reported, bool GaugesSampled, int? HeldRepaired);
