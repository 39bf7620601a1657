using JobQueue.Cron;
using JobQueue.Cutover;
using JobQueue.Database;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/cutover/plan</c> (admin auth): the cut-over's dry run (src/JobQueue.Supabase/Cutover/README.md)
/// over the owner connection <c>Database:MigrationConnectionString</c> (pg_cron's database, when it is another
/// one, as the migrations find it: <c>Cron:MigrationConnectionString</c>, <c>Cron:Database</c> or <c>Cron:ConnectionString</c>): what it found, what
/// apply will do, what it cannot do and why, the secrets that must be stored first. Changes nothing
/// (READ ONLY transactions). 409 problem+json naming the setting when no owner connection is configured;
/// 503 when the database cannot be reached.
/// </summary>
public sealed class CutoverEndpoints(
    CutoverEngine engine, DatabaseConnection connection, IOptions<DatabaseOptions> database, IOptions<CronOptions> cron)
{
    public async Task<IResult> PlanAsync(ApiCall call)
    {
        var cancellationToken = call.Aborted;
        if (string.IsNullOrWhiteSpace(database.Value.MigrationConnectionString))
        {
            return ApiProblems.Conflict(
                $"the cut-over plan reads the database as its owner: set {DatabaseOptions.Section}:{nameof(DatabaseOptions.MigrationConnectionString)} "
                + "(app setting Database__MigrationConnectionString) to the schema owner's connection string (on Supabase: the postgres role's), "
                + "or run: bash infra/local/cutover.sh plan \"<owner connection string>\"");
        }

        var owner = await connection.ResolveMigrationAsync(cancellationToken);
        await using (var probe = new Npgsql.NpgsqlConnection(owner))
        {
            // an unreachable database answers as on every route: 503 with Retry-After (DatabaseOutageGuard)
            await probe.OpenAsync(cancellationToken);
        }

        var result = await engine.RunAsync(CutoverVerb.Plan, owner, cron.Value.CronMigrationConnectionString(owner), cancellationToken);
        return result.Outcome == CutoverOutcome.Failed
            ? ApiProblems.Unavailable("the cut-over plan could not be read: " + result.Error)
            : Results.Json(CutoverReport.View(result), CutoverReport.Json);
    }
}
