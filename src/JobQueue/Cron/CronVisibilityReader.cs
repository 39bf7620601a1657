using Npgsql;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Cron;

/// <summary>
/// Counts what the cron summary cannot list (<see cref="CronVisibility"/>): first as the schema owner
/// (<c>jobqueue.cron_job_visibility</c> on the app's cron connection), which pg_cron shows every job
/// only when it is a superuser, bypasses RLS or owns <c>cron.job</c>; else, when it is configured, on
/// the owner's connection (<see cref="OwnerCronConnection"/>, <c>jobqueue.cron_job_counts</c> as that
/// role). When neither sees every job, the other roles' jobs are unknown, and the note says how to
/// see them.
/// </summary>
public sealed class CronVisibilityReader(CronDatabase cron, OwnerCronConnection owner)
{
    /// <summary>The window of "recent" failures of jobs the summary does not list.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromHours(24);

    public async Task<CronVisibility> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - FailureWindow;
        await using var cmd = cron.DataSource.CreateCommand(
            "SELECT owner_role, sees_all, unlisted_jobs, unlisted_failed_runs, other_role_jobs, other_role_failed_runs FROM jobqueue.cron_job_visibility($1)");
        cmd.Parameters.Add(Timestamp(since));
        string ownerRole;
        long unlisted, unlistedFailures;
        long? others, otherFailures;
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            ownerRole = reader.GetString(0);
            unlisted = reader.GetInt64(2);
            unlistedFailures = reader.GetInt64(3);
            others = reader.GetBoolean(1) ? reader.GetInt64(4) : null;
            otherFailures = reader.GetBoolean(1) ? reader.GetInt64(5) : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.InsufficientPrivilege)
        {
            // pg_cron's database is behind the app (migrated by an older version): the list works, the counts do not
            return new CronVisibility(null, null, null, null, null,
                "jobqueue.cron_job_visibility is missing or not executable in pg_cron's database: run the migrations against it " +
                "(Cron:ConnectionString / Cron:Database) to count the jobs this list does not show.");
        }

        if (others is not null)
        {
            return new CronVisibility(unlisted, unlistedFailures, others, otherFailures, $"the schema owner ({ownerRole})", Note(others.Value, otherFailures!.Value));
        }

        if (!owner.IsConfigured)
        {
            return new CronVisibility(unlisted, unlistedFailures, null, null, null,
                $"pg_cron shows the schema owner ({ownerRole}) only its own jobs: jobs of other roles (on Supabase, those `postgres` created) " +
                $"and their failures cannot be counted. Set {OwnerCronConnection.SettingName} to the connection string of the role that owns them " +
                "or of a superuser (or a role with BYPASSRLS), or grant the schema owner BYPASSRLS.");
        }

        return await ReadAsOwnerAsync(ownerRole, since, unlisted, unlistedFailures, cancellationToken);
    }

    private async Task<CronVisibility> ReadAsOwnerAsync(string ownerRole, DateTimeOffset since, long unlisted, long unlistedFailures, CancellationToken cancellationToken)
    {
        try
        {
            await using var conn = (await owner.OpenAsync(null, cancellationToken))!;
            await using var cmd = new NpgsqlCommand("SELECT seen_as, sees_all, other_role_jobs, other_role_failed_runs FROM jobqueue.cron_job_counts($1, $2)", conn);
            cmd.Parameters.Add(Text(ownerRole));
            cmd.Parameters.Add(Timestamp(since));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var seenAs = reader.GetString(0);
            if (reader.GetBoolean(1))
            {
                var others = reader.GetInt64(2);
                var failures = reader.GetInt64(3);
                return new CronVisibility(unlisted, unlistedFailures, others, failures, $"{OwnerCronConnection.SettingName} ({seenAs})", Note(others, failures));
            }

            return new CronVisibility(unlisted, unlistedFailures, null, null, null,
                $"neither the schema owner ({ownerRole}) nor {OwnerCronConnection.SettingName} ({seenAs}) sees every pg_cron job: jobs of other roles " +
                "and their failures cannot be counted. Use the connection string of a superuser (or a role with BYPASSRLS) there.");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            var why = e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.GetType().Name;
            return new CronVisibility(unlisted, unlistedFailures, null, null, null,
                $"jobs of other roles cannot be counted: the schema owner ({ownerRole}) does not see them, and reading them over " +
                $"{OwnerCronConnection.SettingName} failed ({why}).");
        }
    }

    private static string? Note(long others, long failures) => others == 0
        ? null
        : $"{others} pg_cron job{(others == 1 ? "" : "s")} of other roles {(others == 1 ? "is" : "are")} not managed here; " +
          $"{failures} of their runs failed in the last {FailureWindow.TotalHours:0} h. Convert them (GET admin/cron-jobs/pg-net) or check them in pg_cron.";
}
