using JobQueue.Cron;
using Npgsql;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Cutover;

/// <summary>
/// pg_net's responses (<c>net._http_response</c>: id, status code, arrival; never the body) in one
/// database over a time span, read over the owner's connection. pg_net does not link a response to
/// the cron run that queued its request, so the report matches them by time (<see cref="Window"/>
/// after a run's start, until the job's next run); a database without the table says so.
/// </summary>
public static class PgNetResponseReader
{
    /// <summary>How long after a run's start a response still counts as that run's (pg_net's timeouts are seconds).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const int MaxResponses = 5000;

    public static async Task<PgNetResponses> ReadAsync(
        OwnerCronConnection owner, string database, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            await using var conn = (await owner.OpenAsync(database, cancellationToken))!;
            await using (var exists = new NpgsqlCommand("SELECT to_regclass('net._http_response') IS NOT NULL", conn))
            {
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                {
                    return new PgNetResponses(false, $"database {database} has no net._http_response (pg_net is not installed there)", []);
                }
            }

            await using var cmd = new NpgsqlCommand(
                $"SELECT id, status_code, created FROM net._http_response WHERE created >= $1 AND created < $2 ORDER BY created LIMIT {MaxResponses}", conn);
            cmd.Parameters.Add(Timestamp(from));
            cmd.Parameters.Add(Timestamp(to));
            var rows = new List<PgNetResponse>();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new PgNetResponse(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return new PgNetResponses(true, null, rows);
        }
        catch (PostgresException e)
        {
            return new PgNetResponses(false, $"net._http_response in database {database} could not be read ({e.SqlState}: {e.MessageText})", []);
        }
    }
}
