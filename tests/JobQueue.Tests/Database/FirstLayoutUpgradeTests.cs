using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using static JobQueue.Tests.Database.EmptyDatabase;

namespace JobQueue.Tests.Database;

/// <summary>
/// A database migrated by the first layout (the 31 scripts, a fixture here) is carried over to the
/// baseline from its journal: no row touched, and the same schema as a fresh install.
/// </summary>
public sealed class FirstLayoutUpgradeTests
{
    private static DatabaseMigrator Migrator() => new(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas);

    private const string Rows = """
        SELECT jsonb_build_object(
          'jobs', (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.id) FROM jobqueue.job_queue q),
          'attempts', (SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM jobqueue.job_queue_attempts a),
          'limits', (SELECT jsonb_agg(to_jsonb(l)) FROM jobqueue.job_queue_task_limits l WHERE l.task_type <> 'stats_update'),
          'settings', (SELECT to_jsonb(s) FROM jobqueue.job_queue_settings s),
          'counts', (SELECT jsonb_agg(to_jsonb(c)) FROM jobqueue.job_queue_status_counts c))::text
        """;

    [Fact]
    public Task A_database_migrated_through_0200_upgrades_with_its_rows_untouched_to_the_schema_of_a_fresh_install() =>
        WithAsync(async upgraded =>
        {
            FirstLayoutMigrations.Apply(upgraded);
            await ExecuteAsync(upgraded, """
                SELECT jobqueue.job_queue_set_task_limits('limited', 2, NULL, NULL, NULL, NULL);
                SELECT jobqueue.job_queue_enqueue('limited', '{"n":1}'::jsonb);
                SELECT jobqueue.job_queue_enqueue('plain', '{"n":2}'::jsonb, now() + interval '1 day', 5, 'dedupe-1');
                SELECT jobqueue.job_queue_claim(1, interval '5 minutes', 'runner-1');
                SELECT jobqueue.job_queue_set_settings(false, 'upgrade test', 'tester');
                """);
            var before = await ScalarAsync<string>(upgraded, Rows);
            Assert.True(await ScalarAsync<bool>(upgraded, "SELECT to_regprocedure('public.job_queue_claim(integer,interval,text,timestamptz,uuid,integer)') IS NOT NULL"));

            await Migrator().MigrateAsync(upgraded);

            Assert.Equal(before, await ScalarAsync<string>(upgraded, Rows));
            // the one row a later versioned script adds: stats_update's shipped default limit (0010)
            Assert.Equal(1, await ScalarAsync<int>(upgraded, "SELECT max_concurrency FROM jobqueue.job_queue_task_limits WHERE task_type = 'stats_update'"));
            var journal = await ScalarAsync<string[]>(upgraded, "SELECT array_agg(scriptname ORDER BY schemaversionsid) FROM jobqueue.job_queue_schema_versions");
            Assert.Contains("JobQueue.Database.Migrations.0200_job_queue_held_flag.sql", journal); // the history stays
            Assert.Contains("0002_queue_baseline.sql", journal);
            // the first layout made the public wrappers unasked: a fresh install has none
            Assert.Equal(0L, await ScalarAsync<long>(upgraded, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"));

            await WithAsync(async fresh =>
            {
                await Migrator().MigrateAsync(fresh);
                var expected = await SchemaDump.DumpAsync(fresh);
                var actual = await SchemaDump.DumpAsync(upgraded);
                Assert.True(expected == actual, "the upgraded schema differs from a fresh install's:\n" + FirstDifference(expected, actual));
            });
        });

    [Fact]
    public Task A_database_the_first_layout_left_part_way_is_refused_naming_what_it_lacks_and_nothing_changes() =>
        WithAsync(async cs =>
        {
            FirstLayoutMigrations.Apply(cs, through: "0150");
            var journaled = await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue_schema_versions");
            var dump = await SchemaDump.DumpAsync(cs);

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(cs));
            Assert.Contains("0150_job_queue_trace_parent.sql", refused.Message, StringComparison.Ordinal);
            Assert.Contains("0200_job_queue_held_flag.sql", refused.Message, StringComparison.Ordinal);
            Assert.Equal(journaled, await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue_schema_versions"));
            // the repeatable files' journal is the only new thing
            Assert.Equal(dump, (await SchemaDump.DumpAsync(cs, "--exclude-table=jobqueue.job_queue_schema_files")));
        });

    [Fact]
    public Task A_database_that_was_both_pg_crons_and_the_apps_is_carried_over_through_either_journal() =>
        // the local cluster's database jobqueue: the first layout's pg_cron set ran there first (up to
        // 0133), the app set later ran the rest, 0172 included: neither journal alone is complete
        WithAsync(async cs =>
        {
            static bool CronSet(string file) => file.Contains("_cron_", StringComparison.Ordinal) || file.Contains("_shared_", StringComparison.Ordinal);
            FirstLayoutMigrations.Apply(cs, through: "0133", include: CronSet, journal: "job_queue_cron_schema_versions");
            var cronRan = (await ScalarAsync<string[]>(cs, "SELECT array_agg(scriptname) FROM jobqueue.job_queue_cron_schema_versions"))
                .Select(n => n["JobQueue.Database.Migrations.".Length..]).ToHashSet();
            FirstLayoutMigrations.Apply(cs, include: file => !cronRan.Contains(file));

            await Migrator().MigrateCronAsync(cs);
            await Migrator().MigrateAsync(cs);

            await WithAsync(async fresh =>
            {
                await Migrator().MigrateAsync(fresh);
                var expected = await SchemaDump.DumpAsync(fresh, "--exclude-table=jobqueue.job_queue_cron_schema_versions*");
                var actual = await SchemaDump.DumpAsync(cs, "--exclude-table=jobqueue.job_queue_cron_schema_versions*");
                Assert.True(expected == actual, "the upgraded schema differs from a fresh install's:\n" + FirstDifference(expected, actual));
            });
        });

    internal static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}:\n  expected: {left}\n  actual:   {right}";
            }
        }

        return "(no line differs)";
    }
}
