using JobQueue.Cron;
using JobQueue.Database;
using Microsoft.Extensions.Options;
using Npgsql;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.PgNet;

/// <summary>
/// The pg_net migration's reads and writes of pg_cron: other roles' jobs, which the app's runtime login
/// may neither read nor switch off (<c>jobqueue.get_pg_net_cron_jobs</c> and
/// <c>jobqueue.convert_pg_net_cron_job</c> are not executable by <c>jobqueue_app</c>). They run over the
/// schema owner's connection to pg_cron's database (<c>Database:MigrationConnectionString</c>, and
/// <c>Cron:MigrationConnectionString</c> or the database <c>Cron:*</c> names), opened for the call and
/// closed after it, and only when that setting is there: else <see cref="CronErrorKind.Unavailable"/>
/// saying what to set. Of the commands read, only those whose one top-level statement is a
/// <c>net.http_*</c> call are kept (<see cref="PgNetCommandShape.IsSingleCall"/>); they never leave the
/// library (<see cref="PgNetCronJob.Command"/> is not serialized).
/// </summary>
public sealed class PgNetCronStore(
    DatabaseConnection connection, IOptions<DatabaseOptions> database, IOptions<CronOptions> cronOptions, CronJobStore cron)
{
    public const string NotConfigured =
        "listing and converting pg_net jobs reads other roles' pg_cron jobs, which only the schema owner may: set "
        + "Database:MigrationConnectionString to the owner's connection (and Cron:MigrationConnectionString when pg_cron's "
        + "database is on another server); the app's own login never reads them";

    /// <summary>Whether the owner's connection is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(database.Value.MigrationConnectionString);

    /// <summary>The pg_cron jobs of the owner's role that are one <c>net.http_post</c> / <c>net.http_get</c> call.</summary>
    public async Task<IReadOnlyList<PgNetCronJob>> GetJobsAsync(CancellationToken cancellationToken = default)
    {
        await using var owner = await OwnerAsync(cancellationToken);
        await using var cmd = owner.CreateCommand(
            "SELECT jobid, jobname, schedule, active, database, username, command, command_md5 FROM jobqueue.get_pg_net_cron_jobs()");
        var jobs = await CronJobStore.QueryAsync(cmd, reader => new PgNetCronJob(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), CronJobStore.Str(reader, 4),
            CronJobStore.Str(reader, 5), reader.GetString(6), reader.GetString(7)), cancellationToken);
        return jobs.Where(job => PgNetCommandShape.IsSingleCall(job.Command)).ToList();
    }

    /// <summary>
    /// Disables the pg_net job <paramref name="old"/> (not deleted) and schedules <paramref name="job"/> through
    /// <c>create_cron_job</c>, in one transaction; refused when the old command changed since it was read.
    /// </summary>
    public async Task<CronJob> ConvertAsync(PgNetCronJob old, CronJobDefinition job, CancellationToken cancellationToken = default)
    {
        await using var owner = await OwnerAsync(cancellationToken);
        await using var cmd = owner.CreateCommand(
            $"SELECT {CronJobStore.JobColumns} FROM jobqueue.convert_pg_net_cron_job($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        cmd.Parameters.Add(Long(old.JobId));
        cmd.Parameters.Add(Text(old.CommandMd5));
        await cron.AddDefinitionAsync(cmd, job, cancellationToken);
        return await CronJobStore.SingleJobAsync(cmd, cancellationToken);
    }

    /// <summary>An unpooled data source on pg_cron's database as the schema owner.</summary>
    private async Task<NpgsqlDataSource> OwnerAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            throw new CronJobException(CronErrorKind.Unavailable, "", NotConfigured);
        }

        var owner = await connection.ResolveMigrationAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(cronOptions.Value.CronMigrationConnectionString(owner) ?? owner)
        {
            Pooling = false,
            ApplicationName = "jobqueue-pg-net-migration",
        };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
