using JobQueue.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>Settings <c>TaskLimits:&lt;taskType&gt;:*</c>: default limits of one task type.</summary>
public sealed class TaskLimitOptions
{
    public const string Section = "TaskLimits";

    /// <summary>The settings are keyed by task type (<c>TaskLimits:&lt;taskType&gt;:MaxConcurrency</c>); the sample shows this one.</summary>
    public const string SampleKey = "game_platform_sync";

    public int? MaxConcurrency { get; set; }

    public string? PartitionBy { get; set; }

    public int? MaxConcurrencyPerPartition { get; set; }

    public int? RateLimit { get; set; }

    public double? RateIntervalSeconds { get; set; }
}

/// <summary>
/// Writes the <c>TaskLimits:*</c> settings to the database when the host starts (both hosts), for the
/// task types an operator has not set through <c>POST admin/task-limits/set</c> (an operator's limits
/// win). Retries every minute while the database cannot be reached.
/// </summary>
public sealed partial class TaskLimitDefaults(
    TaskLimitStore store, IOptions<Dictionary<string, TaskLimitOptions>> options, TimeProvider time, ILogger<TaskLimitDefaults> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Count == 0)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (taskType, o) in options.Value)
                {
                    await store.SetAsync(taskType, new TaskLimitSettings(o.MaxConcurrency, o.PartitionBy, o.MaxConcurrencyPerPartition, o.RateLimit, o.RateIntervalSeconds),
                        TaskLimitStore.FromSettings, "settings", stoppingToken);
                }

                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e.GetType().Name, e.Message);
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Task limit defaults (TaskLimits:*) not written yet ({ErrorType}): {Error}; trying again in a minute")]
    private static partial void LogFailed(ILogger logger, string errorType, string error);
}
