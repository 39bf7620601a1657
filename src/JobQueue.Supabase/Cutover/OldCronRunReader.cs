using JobQueue.Cron;
using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Cutover;

/// <summary>
/// Reads the old side of the parity report over <see cref="OwnerCronConnection"/>
/// (<c>Database:MigrationConnectionString</c>): the converted pg_cron jobs and their latest runs as
/// that role sees them (<c>jobqueue.cutover_old_runs</c>; pg_cron hides other roles' jobs from anyone
/// but a superuser), messages masked with each command's literals (<see cref="RunMessageMask"/>), and
/// pg_net's responses in each old job's database (<see cref="PgNetResponseReader"/>). Without that
/// setting, or when it fails, the old side is unreadable and says why: never an empty history.
/// </summary>
public sealed class OldCronRunReader(OwnerCronConnection owner)
{
    public async Task<OldCronSide> ReadAsync(IReadOnlyList<CutoverCronJob> converted, int runs, CancellationToken cancellationToken)
    {
        if (!owner.IsConfigured)
        {
            return OldCronSide.Unreadable(
                $"{OwnerCronConnection.SettingName} is not configured: the old jobs' runs (cron.job_run_details of " +
                $"{string.Join(", ", converted.Select(c => c.OldUsername).Distinct().Order(StringComparer.Ordinal))}) cannot be read " +
                "with the app's login. Set it to the connection string of the role that owns them or of a superuser.");
        }

        try
        {
            await using var conn = (await owner.OpenAsync(null, cancellationToken))!;
            var (seenAs, seesAll) = await WhoAsync(conn, cancellationToken);
            var jobs = await RunsAsync(conn, converted.Select(c => c.OldJobId).ToArray(), runs, cancellationToken);
            var responses = new Dictionary<string, PgNetResponses>(StringComparer.Ordinal);
            foreach (var database in converted.Select(c => c.OldDatabase).Distinct(StringComparer.Ordinal))
            {
                var starts = converted.Where(c => c.OldDatabase == database && jobs.ContainsKey(c.OldJobId))
                    .SelectMany(c => jobs[c.OldJobId].Runs).Where(r => r.StartedAt is not null).Select(r => r.StartedAt!.Value).ToList();
                responses[database] = starts.Count == 0
                    ? new PgNetResponses(true, null, [])
                    : await PgNetResponseReader.ReadAsync(owner, database, starts.Min(), starts.Max() + PgNetResponseReader.Window, cancellationToken);
            }

            return new OldCronSide(true, null, seenAs, seesAll, jobs, responses);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            var why = e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.GetType().Name;
            return OldCronSide.Unreadable($"the old jobs could not be read over {OwnerCronConnection.SettingName} ({why}).");
        }
    }

    private static async Task<(string SeenAs, bool SeesAll)> WhoAsync(NpgsqlConnection conn, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT seen_as, sees_all FROM jobqueue.cron_job_counts('', now())", conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), reader.GetBoolean(1));
    }

    private static async Task<Dictionary<long, OldCronJob>> RunsAsync(NpgsqlConnection conn, long[] jobIds, int runs, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT jobid, active, command, runid, status, return_message, start_time, end_time FROM jobqueue.cutover_old_runs($1, $2)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = jobIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        cmd.Parameters.Add(Int(runs));
        var jobs = new Dictionary<long, (bool Active, List<OldCronRun> Runs)>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                if (!jobs.TryGetValue(id, out var job))
                {
                    jobs[id] = job = (reader.GetBoolean(1), new List<OldCronRun>());
                }

                if (!reader.IsDBNull(3))
                {
                    var command = reader.IsDBNull(2) ? null : reader.GetString(2);
                    job.Runs.Add(new OldCronRun(
                        reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                        RunMessageMask.Apply(reader.IsDBNull(5) ? null : reader.GetString(5), command),
                        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
                }
            }
        }

        return jobs.ToDictionary(j => j.Key, j => new OldCronJob(j.Key, j.Value.Active, j.Value.Runs));
    }
}
