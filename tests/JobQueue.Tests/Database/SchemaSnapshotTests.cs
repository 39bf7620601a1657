using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Database;

/// <summary>
/// The committed schema snapshot (tests/JobQueue.Tests/Database/schema.dump.sql) is what a fresh
/// install produces: every schema change shows as a diff of that file in review. With
/// JOBQUEUE_SCHEMA_DUMP_WRITE=1 (infra/local/schema-dump.sh) the test writes the file instead.
/// </summary>
public sealed class SchemaSnapshotTests
{
    [Fact]
    public async Task A_fresh_install_matches_the_committed_schema_snapshot()
    {
        var db = await TestDatabase.CreateAsync();
        string dump;
        try
        {
            dump = await SchemaDump.DumpAsync(db.ConnectionString);
        }
        finally
        {
            await db.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable("JOBQUEUE_SCHEMA_DUMP_WRITE") == "1")
        {
            await File.WriteAllTextAsync(SchemaDump.SnapshotPath, dump);
            return;
        }

        var committed = File.Exists(SchemaDump.SnapshotPath) ? await File.ReadAllTextAsync(SchemaDump.SnapshotPath) : "";
        Assert.True(committed == dump,
            "The migrations produce another schema than the committed snapshot tests/JobQueue.Tests/Database/schema.dump.sql. "
            + "If the change is intended, refresh it with `bash infra/local/schema-dump.sh` and commit the diff.\n"
            + FirstLayoutUpgradeTests.FirstDifference(committed, dump));
    }
}
