using Npgsql;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>
/// An operator's actions on one job: retry, cancel, run now (<c>job_queue_retry</c>,
/// <c>job_queue_cancel</c>, <c>job_queue_run_now</c>). After a retry or run now that made the job due
/// now has committed, it tells <see cref="IJobWakeUp"/> (runners elsewhere; nothing by default).
/// </summary>
public sealed class JobActionStore(NpgsqlDataSource dataSource, IJobWakeUp? wakeUp = null)
{
    public Task<JobActionResult> RetryAsync(Guid id, string? actor, CancellationToken cancellationToken = default) =>
        WakeIfOkAsync(ActionAsync("SELECT outcome, status FROM jobqueue.job_queue_retry($1, $2)", cancellationToken, Uuid(id), Text(actor)));

    public Task<JobActionResult> CancelAsync(Guid id, string? actor, string? reason, CancellationToken cancellationToken = default) =>
        ActionAsync("SELECT outcome, status FROM jobqueue.job_queue_cancel($1, $2, $3)", cancellationToken, Uuid(id), Text(actor), Text(reason));

    public Task<JobActionResult> RunNowAsync(Guid id, CancellationToken cancellationToken = default) =>
        WakeIfOkAsync(ActionAsync("SELECT outcome, status FROM jobqueue.job_queue_run_now($1)", cancellationToken, Uuid(id)));

    private async Task<JobActionResult> WakeIfOkAsync(Task<JobActionResult> action)
    {
        var result = await action;
        if (result.Outcome == JobActionOutcome.Ok)
        {
            wakeUp?.JobsDue();
        }

        return result;
    }

    private async Task<JobActionResult> ActionAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var outcome = reader.GetString(0) switch
        {
            "ok" => JobActionOutcome.Ok,
            "not_found" => JobActionOutcome.NotFound,
            _ => JobActionOutcome.InvalidState,
        };
        return new JobActionResult(outcome, reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
