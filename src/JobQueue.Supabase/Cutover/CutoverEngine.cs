using Npgsql;

namespace JobQueue.Cutover;

public enum CutoverVerb
{
    Plan,
    Apply,
    Rollback,
}

public enum CutoverOutcome
{
    /// <summary>The dry run: nothing was changed.</summary>
    Planned,

    /// <summary>Nothing to do (already applied, nothing found, or nothing to roll back).</summary>
    NothingToDo,

    Applied,

    RolledBack,

    /// <summary>Apply refused (a secret is missing or something blocks it): nothing was changed.</summary>
    Refused,

    /// <summary>An error: everything was rolled back.</summary>
    Failed,
}

/// <summary>What one cut-over run found, did, and warns about. Holds no secret value and no connection string.</summary>
public sealed record CutoverResult(
    CutoverVerb Verb, CutoverOutcome Outcome, CutoverPlan? Plan, IReadOnlyList<string> Done, IReadOnlyList<string> Warnings, string? Error)
{
    /// <summary>0 done (or nothing to do), 1 refused or failed.</summary>
    public int ExitCode => Outcome is CutoverOutcome.Refused or CutoverOutcome.Failed ? 1 : 0;
}

/// <summary>
/// The cut-over of a lived-in Supabase project onto JobQueue (src/JobQueue.Supabase/Cutover/README.md), run as
/// the owner connection: <c>plan</c> reads in READ ONLY transactions and changes nothing; <c>apply</c>
/// and <c>rollback</c> run in one transaction per database (app, then pg_cron's when that is another
/// database), under an advisory lock, and are idempotent.
/// </summary>
public sealed class CutoverEngine(CutoverPlanner planner, CutoverApplier applier)
{
    public async Task<CutoverResult> RunAsync(CutoverVerb verb, string ownerConnection, string? cronConnection, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await CutoverSession.OpenAsync(ownerConnection, cronConnection, cancellationToken);
            await session.BeginAsync(readOnly: verb == CutoverVerb.Plan, cancellationToken);
            var found = await LegacyDiscoverer.DiscoverAsync(session.App, session.Cron, cancellationToken);
            if (verb == CutoverVerb.Rollback)
            {
                if (!found.Record.Any)
                {
                    await session.RollbackAsync(cancellationToken);
                    return new CutoverResult(verb, CutoverOutcome.NothingToDo, null, [], [], null);
                }

                var (undone, warnings) = await CutoverRollback.RollbackAsync(session, found, cancellationToken);
                await session.CommitAsync(cancellationToken);
                return new CutoverResult(verb, CutoverOutcome.RolledBack, null, undone, warnings, null);
            }

            var (plan, conversions) = await planner.PlanAsync(found, ownerConnection, cancellationToken);
            if (verb == CutoverVerb.Plan || plan.NothingToDo || plan.Refused)
            {
                await session.RollbackAsync(cancellationToken);
                var outcome = verb == CutoverVerb.Plan ? CutoverOutcome.Planned : plan.NothingToDo ? CutoverOutcome.NothingToDo : CutoverOutcome.Refused;
                return new CutoverResult(verb, outcome, plan, [], [], null);
            }

            var done = await applier.ApplyAsync(session, plan, conversions, cancellationToken);
            await session.CommitAsync(cancellationToken);
            return new CutoverResult(verb, CutoverOutcome.Applied, plan, done, [], null);
        }
        catch (PostgresException e)
        {
            // the server's message and code only: never a statement (it may hold a payload) or a connection string
            return new CutoverResult(verb, CutoverOutcome.Failed, null, [], [], $"{e.SqlState}: {e.MessageText}" + (e.Hint is null ? "" : $" (hint: {e.Hint})"));
        }
        catch (NpgsqlException e)
        {
            return new CutoverResult(verb, CutoverOutcome.Failed, null, [], [], "the database could not be reached: " + (e.InnerException?.Message ?? e.Message));
        }
    }
}
