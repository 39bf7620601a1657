using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Cron;

/// <summary>
/// Every call the library makes to the pg_cron wrappers (Database/Schema/functions/cron/: the app's
/// own jobs only), in one place, on the app's connection to pg_cron's database (the pg_net migration,
/// which reads other jobs, calls them as the owner: PgNetCronStore in JobQueue.Supabase).
/// Refusals come back as <see cref="CronJobException"/>.
/// </summary>
public sealed class CronJobStore(CronDatabase cron)
{
    public const string NotFoundState = "JQC04";
    public const string ConflictState = "JQC09";
    public const string UnavailableState = "JQC01";

    public const string JobColumns = "jobid, jobname, schedule, active, task_type, payload::text, max_attempts, dedupe_key, database, priority";

    public async Task<IReadOnlyList<CronJob>> GetJobsAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand(
            $"SELECT {JobColumns}, last_run_status, last_run_started_at, last_run_finished_at, last_run_message FROM jobqueue.get_cron_jobs()");
        return await ReadJobsAsync(cmd, withDetails: true, cancellationToken);
    }

    public async Task<IReadOnlyList<CronJobRun>> GetRunsAsync(int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand(
            "SELECT runid, jobid, jobname, status, return_message, start_time, end_time, database FROM jobqueue.get_cron_job_runs($1)");
        cmd.Parameters.Add(Int(limit));
        return await QueryAsync(cmd, reader => new CronJobRun(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            Str(reader, 2), Str(reader, 3), Str(reader, 4), Time(reader, 5), Time(reader, 6), Str(reader, 7)),
            cancellationToken);
    }

    /// <summary>Schedules an enqueue of <see cref="CronJobDefinition.TaskType"/> into the app database.</summary>
    public async Task<CronJob> CreateAsync(CronJobDefinition job, CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand($"SELECT {JobColumns} FROM jobqueue.create_cron_job($1, $2, $3, $4, $5, $6, $7, $8)");
        await AddDefinitionAsync(cmd, job, cancellationToken);
        return await SingleJobAsync(cmd, cancellationToken);
    }

    public async Task<CronJob> ToggleAsync(string jobName, bool active, CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand($"SELECT {JobColumns} FROM jobqueue.toggle_cron_job($1, $2)");
        cmd.Parameters.Add(Text(jobName));
        cmd.Parameters.Add(Bool(active));
        return await SingleJobAsync(cmd, cancellationToken);
    }

    public async Task<CronJob> RescheduleAsync(string jobName, string schedule, CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand($"SELECT {JobColumns} FROM jobqueue.update_cron_schedule($1, $2)");
        cmd.Parameters.Add(Text(jobName));
        cmd.Parameters.Add(Text(schedule));
        return await SingleJobAsync(cmd, cancellationToken);
    }

    public async Task DeleteAsync(string jobName, CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand("SELECT jobqueue.delete_cron_job($1)");
        cmd.Parameters.Add(Text(jobName));
        await QueryAsync(cmd, reader => reader.GetBoolean(0), cancellationToken);
    }

    /// <summary>Deletes one batch of the role's pg_cron run history that ended before <paramref name="olderThan"/>.</summary>
    public async Task<int> TrimRunHistoryAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var cmd = cron.DataSource.CreateCommand("SELECT jobqueue.trim_cron_job_runs($1, $2)");
        cmd.Parameters.Add(Timestamp(olderThan));
        cmd.Parameters.Add(Int(batchSize));
        return (await QueryAsync(cmd, reader => reader.GetInt32(0), cancellationToken))[0];
    }

    /// <summary>create_cron_job's arguments: name, schedule, task type, payload, max attempts, dedupe key, target database, priority.</summary>
    public async Task AddDefinitionAsync(NpgsqlCommand cmd, CronJobDefinition job, CancellationToken cancellationToken)
    {
        var target = await cron.GetTargetDatabaseAsync(cancellationToken);
        cmd.Parameters.Add(Text(job.JobName));
        cmd.Parameters.Add(Text(job.Schedule));
        cmd.Parameters.Add(Text(job.TaskType));
        cmd.Parameters.Add(Jsonb(job.PayloadJson));
        cmd.Parameters.Add(Int(job.MaxAttempts));
        cmd.Parameters.Add(Text(job.DedupeKey));
        cmd.Parameters.Add(Text(target));
        cmd.Parameters.Add(Int(job.Priority));
    }

    public static async Task<CronJob> SingleJobAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var jobs = await ReadJobsAsync(cmd, withDetails: false, cancellationToken);
        return jobs.Count == 1 ? jobs[0] : throw new InvalidOperationException("the cron wrapper returned no job");
    }

    private static Task<IReadOnlyList<CronJob>> ReadJobsAsync(NpgsqlCommand cmd, bool withDetails, CancellationToken cancellationToken) =>
        QueryAsync(cmd, reader =>
        {
            var job = new CronJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetString(4),
                ParsePayload(reader.GetString(5)), reader.GetInt32(6), Str(reader, 7), reader.GetString(8), reader.GetInt32(9));
            return !withDetails ? job : job with
            {
                LastRun = reader.IsDBNull(10) && reader.IsDBNull(11)
                    ? null
                    : new CronJobLastRun(Str(reader, 10), Time(reader, 11), Time(reader, 12), Str(reader, 13)),
            };
        }, cancellationToken);

    /// <summary>Runs the command and reads every row; a wrapper's refusal becomes a <see cref="CronJobException"/>.</summary>
    public static async Task<IReadOnlyList<T>> QueryAsync<T>(NpgsqlCommand cmd, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        try
        {
            var rows = new List<T>();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        catch (PostgresException e) when (Translate(e) is { } refused)
        {
            throw refused;
        }
    }

    public static CronJobException? Translate(PostgresException e) => e.SqlState switch
    {
        NotFoundState => new CronJobException(CronErrorKind.NotFound, e.ColumnName ?? "jobName", e.MessageText, e),
        ConflictState => new CronJobException(CronErrorKind.Conflict, e.ColumnName ?? "jobName", e.MessageText, e),
        UnavailableState => new CronJobException(CronErrorKind.Unavailable, "",
            e.Hint is null ? e.MessageText : $"{e.MessageText} ({e.Hint})", e),
        // pg_cron's own "invalid schedule" (22023 without a column) is about the schedule
        PostgresErrorCodes.InvalidParameterValue => new CronJobException(CronErrorKind.Invalid, e.ColumnName ?? "schedule", e.MessageText, e),
        PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.InsufficientPrivilege => new CronJobException(
            CronErrorKind.Unavailable, "",
            "the pg_cron wrappers are missing or not executable in pg_cron's database: run the migrations against Cron:ConnectionString", e),
        _ => null,
    };

    private static JsonElement ParsePayload(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static string? Str(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
