using DbUp;
using DbUp.Engine;
using JobQueue.Database;
using JobQueue.GamePlatform;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static JobQueue.Tests.Database.EmptyDatabase;

namespace JobQueue.Tests.Database;

/// <summary>
/// The Game Platform's tables and functions belong to its module's migration set (schema
/// <c>game_platform</c>): an upgrade from the schema that held them in <c>jobqueue</c> keeps their rows,
/// the engine alone makes none of them, and with the module the app's login calls them and reads no table.
/// </summary>
public sealed class GamePlatformSchemaTests
{
    private static DatabaseMigrator EngineAlone() => new(NullLogger<DatabaseMigrator>.Instance);

    private static DatabaseMigrator WithModules() => new(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas);

    private const string GamePlatformObjects = """
        SELECT coalesce(array_agg(n.nspname || '.' || o.name ORDER BY n.nspname || '.' || o.name), '{}')
          FROM (SELECT relnamespace AS ns, relname::text AS name FROM pg_class WHERE relname LIKE 'game\_platform\_%'
                UNION ALL SELECT pronamespace, proname::text FROM pg_proc WHERE proname LIKE 'game\_platform\_%') o
          JOIN pg_namespace n ON n.oid = o.ns
        """;

    private static string Rows(string schema) => $"""
        SELECT jsonb_build_object(
          'competitors', (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.id) FROM {schema}.game_platform_competitors c),
          'activity', (SELECT jsonb_agg(to_jsonb(a) ORDER BY a.competitor_id, a.activity_id) FROM {schema}.game_platform_activity a),
          'totals', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.competitor_id) FROM {schema}.game_platform_totals t))::text
        """;

    [Fact]
    public Task An_upgrade_from_the_schema_that_held_the_game_platform_in_jobqueue_moves_its_rows_to_game_platform() =>
        WithAsync(async upgraded =>
        {
            var before = await RestoreSchemaBeforeTheMoveWithRowsAsync(upgraded);

            await WithModules().MigrateAsync(upgraded);

            Assert.Equal(before, await ScalarAsync<string>(upgraded, Rows("game_platform")));
            Assert.Equal(ModuleTablesAndFunctions, TablesAndFunctions(await ScalarAsync<string[]>(upgraded, GamePlatformObjects)));
            // the identity sequence moved with its table: a new competitor continues after the moved ones
            var next = await ScalarAsync<long>(upgraded, "SELECT game_platform.game_platform_upsert_competitor('coach-9', 'gp-user-new')");
            Assert.True(next > await ScalarAsync<long>(upgraded, "SELECT max(id) FROM game_platform.game_platform_competitors WHERE game_platform_user_id <> 'gp-user-new'"));

            await WithModules().MigrateAsync(upgraded); // again: nothing to do, nothing lost
            Assert.Equal(3L, await ScalarAsync<long>(upgraded, "SELECT count(*) FROM game_platform.game_platform_competitors"));

            await WithAsync(async fresh =>
            {
                await WithModules().MigrateAsync(fresh);
                var expected = await SchemaDump.DumpAsync(fresh);
                var actual = await SchemaDump.DumpAsync(upgraded);
                Assert.True(expected == actual, "the upgraded schema differs from a fresh install's:\n" + FirstLayoutUpgradeTests.FirstDifference(expected, actual));
            });
        });

    [Fact]
    public Task The_engine_alone_moves_existing_game_platform_rows_to_game_platform_and_leaves_them_there() =>
        WithAsync(async upgraded =>
        {
            var before = await RestoreSchemaBeforeTheMoveWithRowsAsync(upgraded);

            await EngineAlone().MigrateAsync(upgraded);

            Assert.Equal(before, await ScalarAsync<string>(upgraded, Rows("game_platform")));
            Assert.Equal(0L, await ScalarAsync<long>(upgraded, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'game\\_platform\\_%'"));
            Assert.Equal(0L, await ScalarAsync<long>(upgraded, "SELECT count(*) FROM pg_class WHERE relnamespace = 'jobqueue'::regnamespace AND relname LIKE 'game\\_platform\\_%'"));

            // registering the module later takes the moved tables over as they are
            await WithModules().MigrateAsync(upgraded);
            Assert.Equal(before, await ScalarAsync<string>(upgraded, Rows("game_platform")));
        });

    [Fact]
    public Task A_fresh_install_of_the_engine_alone_has_no_game_platform_schema_table_or_function() =>
        WithAsync(async cs =>
        {
            await EngineAlone().MigrateAsync(cs);

            Assert.Empty(await ScalarAsync<string[]>(cs, GamePlatformObjects));
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'game\\_platform%'"));
        });

    [Fact]
    public Task The_servers_migrate_command_applies_the_modules_sets_the_server_composes() =>
        WithAsync(async cs =>
        {
            Assert.Equal(0, await JobQueue.Server.MigrateCommand.RunAsync(["migrate", cs]));

            Assert.Equal(ModuleTablesAndFunctions, TablesAndFunctions(await ScalarAsync<string[]>(cs, GamePlatformObjects)));
            Assert.Equal("0001_game_platform_tables.sql", await ScalarAsync<string>(cs, "SELECT string_agg(scriptname, ',') FROM game_platform.schema_versions"));
        });

    [Fact]
    public Task A_teams_own_game_platform_schema_is_refused_and_left_as_it_was() =>
        WithAsync(async cs =>
        {
            // a team that already keeps its own schema of that name, with a table its API role reads
            await ExecuteAsync(cs, """
                CREATE SCHEMA game_platform;
                CREATE TABLE game_platform.leaderboard (id int PRIMARY KEY);
                INSERT INTO game_platform.leaderboard VALUES (1);
                GRANT USAGE ON SCHEMA game_platform TO PUBLIC;
                GRANT SELECT ON game_platform.leaderboard TO PUBLIC;
                """);

            var refused = await Assert.ThrowsAnyAsync<Exception>(() => WithModules().MigrateAsync(cs));
            var postgres = refused as PostgresException ?? refused.InnerException as PostgresException;
            Assert.True(postgres?.SqlState == "JQM02", refused.ToString());
            Assert.Contains("schema game_platform exists and was not made by JobQueue", refused.ToString(), StringComparison.Ordinal);

            Assert.Equal(1L, await ScalarAsync<long>(cs, "SELECT count(*) FROM game_platform.leaderboard"));
            Assert.True(await ScalarAsync<bool>(cs, "SELECT has_table_privilege('public', 'game_platform.leaderboard', 'SELECT')"));
            Assert.False(await ScalarAsync<bool>(cs, "SELECT relrowsecurity FROM pg_class WHERE oid = 'game_platform.leaderboard'::regclass"));
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_class WHERE relnamespace = 'game_platform'::regnamespace AND relname LIKE 'schema\\_%'"));
        });

    [Fact]
    public async Task With_the_module_the_apps_login_executes_its_functions_and_reads_none_of_its_tables()
    {
        await using var db = await TestDatabase.CreateAsync();

        Assert.Equal(ModuleTablesAndFunctions, TablesAndFunctions(await db.ScalarAsync<string[]>(GamePlatformObjects)));
        await using (var upsert = db.DataSource.CreateCommand("SELECT game_platform.game_platform_upsert_competitor('coach-1', 'gp-user-1', 'One')"))
        {
            Assert.IsType<long>(await upsert.ExecuteScalarAsync());
        }

        await using (var scope = db.DataSource.CreateCommand("SELECT count(*) FROM game_platform.game_platform_sync_scope(NULL)"))
        {
            Assert.Equal(1L, await scope.ExecuteScalarAsync());
        }

        await using var read = db.DataSource.CreateCommand("SELECT count(*) FROM game_platform.game_platform_competitors");
        var denied = await Assert.ThrowsAsync<PostgresException>(() => read.ExecuteScalarAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.False(await db.ScalarAsync<bool>(
            "SELECT bool_or(has_function_privilege('public', p.oid, 'EXECUTE')) FROM pg_proc p WHERE p.pronamespace = 'game_platform'::regnamespace"));
    }

    /// <summary>The module's tables and functions, all in game_platform, by name.</summary>
    private static readonly string[] ModuleTablesAndFunctions =
        new[] { "activity", "competitors", "totals", "apply_totals", "claim_totals_batch", "list_flagged", "preview_activity",
                "record_activity", "release_totals_claim", "sync_scope", "upsert_competitor" }
            .Select(name => $"game_platform.game_platform_{name}").Order(StringComparer.Ordinal).ToArray();

    /// <summary>The objects named game_platform_* but the tables' indexes and sequence, by name.</summary>
    private static string[] TablesAndFunctions(string[] objects) =>
        objects.Where(o => !new[] { "_seq", "_pkey", "_key", "_idx" }.Any(suffix => o.EndsWith(suffix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Main's schema before the move, rebuilt: the engine's versioned scripts through 0011 (never edited
    /// since they landed; the baseline makes jobqueue.game_platform_*), run and journaled by DbUp as the
    /// migrator ran them, and the Game Platform's functions in jobqueue as main had them (the module's
    /// files with their schema put back); then Game Platform rows written with those functions.
    /// Returns the rows.
    /// </summary>
    private static async Task<string> RestoreSchemaBeforeTheMoveWithRowsAsync(string cs)
    {
        var scoped = new NpgsqlConnectionStringBuilder(cs) { SearchPath = "jobqueue, pg_temp" }.ConnectionString;
        await ExecuteAsync(cs, "CREATE SCHEMA jobqueue; REVOKE ALL ON SCHEMA jobqueue FROM PUBLIC;");
        var beforeTheMove = SchemaFiles.Versioned(SchemaSet.App).Where(f => string.CompareOrdinal(f.Name, "0012") < 0).ToList();
        Assert.Equal(7, beforeTheMove.Count);
        var result = DeployChanges.To.PostgresqlDatabase(scoped)
            .WithScripts(beforeTheMove.Select(f => new SqlScript(f.Name, f.Sql)))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .JournalToPostgresqlTable("jobqueue", "job_queue_schema_versions")
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        Assert.True(result.Successful, result.Error?.Message);
        foreach (var function in GamePlatformSchema.Set.Repeatable.Where(f => f.Name.StartsWith("functions/", StringComparison.Ordinal)))
        {
            await ExecuteAsync(scoped, function.Sql
                .Replace("game_platform.game_platform_", "jobqueue.game_platform_", StringComparison.Ordinal)
                .Replace("SET search_path TO 'game_platform'", "SET search_path TO 'jobqueue'", StringComparison.Ordinal));
        }

        Assert.Equal(11L, await ScalarAsync<long>(cs, """
            SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'jobqueue'::regnamespace AND relkind = 'r' AND relname LIKE 'game\_platform\_%')
                 + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'jobqueue'::regnamespace AND proname LIKE 'game\_platform\_%')
            """));
        await ExecuteAsync(scoped, """
            SELECT jobqueue.game_platform_upsert_competitor('coach-1', 'gp-user-101', 'One');
            SELECT jobqueue.game_platform_upsert_competitor('coach-2', 'gp-user-201', 'Two');
            SELECT jobqueue.game_platform_record_activity(
              (SELECT id FROM jobqueue.game_platform_competitors WHERE game_platform_user_id = 'gp-user-101'),
              '[{"id":"a-1","occurredAtUnix":1700000000,"kind":"match","points":3,"result":"win"}]', 1700000000);
            SELECT jobqueue.game_platform_apply_totals(
              (SELECT id FROM jobqueue.game_platform_competitors WHERE game_platform_user_id = 'gp-user-201'), 0, 'sweep', 4, 3, 1, 12, 1700000000);
            """);
        return await ScalarAsync<string>(cs, Rows("jobqueue"));
    }
}
