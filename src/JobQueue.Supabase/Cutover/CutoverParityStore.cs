using JobQueue.Cron;
using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Cutover;

/// <summary>
/// JobQueue's own side of the parity report, through functions the app may call: the converted jobs
/// (<c>jobqueue.get_cutover_cron_jobs</c>, where pg_cron lives and, when that is another database, in
/// the app database too: one row per old job) and the new schedules' jobs and attempts
/// (<c>jobqueue.cutover_parity_attempts</c>, in the app database).
/// </summary>
public sealed class CutoverParityStore(NpgsqlDataSource app, CronDatabase cron)
{
    public async Task<IReadOnlyList<CutoverCronJob>> GetConvertedJobsAsync(CancellationToken cancellationToken)
    {
        var rows = await ReadConvertedAsync(cron.DataSource, cancellationToken);
        if (!ReferenceEquals(cron.DataSource, app))
        {
            var known = rows.Select(r => r.OldJobId).ToHashSet();
            rows.AddRange((await ReadConvertedAsync(app, cancellationToken)).Where(r => !known.Contains(r.OldJobId)));
        }

        return rows.OrderBy(r => r.ConvertedAt).ThenBy(r => r.OldJobId).ToList();
    }

    public async Task<IReadOnlyList<NewScheduleAttempt>> GetNewAttemptsAsync(
        IReadOnlyCollection<string> jobNames, DateTimeOffset since, int jobsPerName, CancellationToken cancellationToken)
    {
        await using var cmd = app.CreateCommand(
            "SELECT jobname, job_id, job_status, created_at, attempt, outcome, started_at, finished_at, duration_ms, status_code, error " +
            "FROM jobqueue.cutover_parity_attempts($1, $2, $3)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = jobNames.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(Timestamp(since));
        cmd.Parameters.Add(Int(jobsPerName));
        var rows = new List<NewScheduleAttempt>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new NewScheduleAttempt(
                reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                OrNull<int>(reader, 4), reader.IsDBNull(5) ? null : reader.GetString(5),
                OrNull<DateTimeOffset>(reader, 6), OrNull<DateTimeOffset>(reader, 7), OrNull<int>(reader, 8), OrNull<int>(reader, 9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return rows;
    }

    private static async Task<List<CutoverCronJob>> ReadConvertedAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var cmd = source.CreateCommand(
            "SELECT old_jobid, old_jobname, old_username, old_database, new_jobname, converted_at, rolled_back_at FROM jobqueue.get_cutover_cron_jobs()");
        var rows = new List<CutoverCronJob>();
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new CutoverCronJob(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), OrNull<DateTimeOffset>(reader, 6)));
            }
        }
        catch (PostgresException e) when (CronJobStore.Translate(e) is { } refused)
        {
            throw refused; // missing or not executable (a database behind the app's version): 503 saying so
        }

        return rows;
    }

    private static T? OrNull<T>(NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
