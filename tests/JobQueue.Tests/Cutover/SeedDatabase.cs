using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Cutover;

/// <summary>
/// A test database with JobQueue installed (a copy of the template) and one seed's lived-in Supabase
/// objects built from its notes (Seeds/supabase.sql, then Seeds/NNN.sql, as the superuser, like
/// Supabase's postgres), plus the seed's pg_cron jobs made by the superuser in pg_cron's database
/// (Seeds/NNN.cron.sql, scheduled into this database): jobs of a role other than the migrator, named
/// with a per-instance prefix and deleted at the end. <c>{{name}}</c> placeholders in the files are
/// filled from <see cref="Values"/>.
/// </summary>
public sealed class SeedDatabase : IAsyncDisposable
{
    private SeedDatabase(TestDatabase db, string seed, IReadOnlyDictionary<string, string> values)
    {
        Db = db;
        Seed = seed;
        Values = values;
    }

    public TestDatabase Db { get; }

    public string Seed { get; }

    public IReadOnlyDictionary<string, string> Values { get; }

    public string Prefix => Values["prefix"];

    /// <summary>The superuser's connection string to pg_cron's database (cluster admin; tests only).</summary>
    public static string AdminConnectionString { get; } = LocalPostgres.RunScript("admin-url");

    /// <summary>The superuser on this seed's database: what a Supabase project's owner connection (postgres) is.</summary>
    public string SuperuserConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Db.Name, Pooling = false }.ConnectionString;

    /// <summary>The schema owner (the migrator: not a superuser) on this seed's database.</summary>
    public string MigratorConnectionString => new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Pooling = false }.ConnectionString;

    public static async Task<SeedDatabase> CreateAsync(string seed, IDictionary<string, string> values)
    {
        await CronTestDatabase.EnsureMigratedAsync();
        var db = await TestDatabase.CreateAsync();
        var all = new Dictionary<string, string>(values) { ["database"] = db.Name, ["prefix"] = "co" + seed + Guid.NewGuid().ToString("N")[..6] + "_" };
        var seeded = new SeedDatabase(db, seed, all);
        await using (var app = new NpgsqlConnection(seeded.SuperuserConnectionString))
        {
            await app.OpenAsync();
            await ExecuteAsync(app, seeded.Fill(Read("supabase.sql")));
            await ExecuteAsync(app, seeded.Fill(Read(seed + ".sql")));
        }

        await using (var cron = new NpgsqlConnection(AdminConnectionString))
        {
            await cron.OpenAsync();
            await ExecuteAsync(cron, seeded.Fill(Read(seed + ".cron.sql")));
        }

        return seeded;
    }

    public string Fill(string sql) => Values.Aggregate(sql, (text, v) => text.Replace("{{" + v.Key + "}}", v.Value, StringComparison.Ordinal));

    public static string Read(string file) => File.ReadAllText(Path.Combine(LocalPostgres.RepoRoot, "tests", "JobQueue.Tests", "Cutover", "Seeds", file));

    /// <summary>pg_dump --schema=public of the seed's database (schema only, owners and grants included).</summary>
    public Task<string> DumpPublicAsync() => SchemaDump.DumpAsync(new NpgsqlConnectionStringBuilder(SuperuserConnectionString).ConnectionString, "--schema=public");

    /// <summary>Every row of every table in public, and JobQueue's settings: equal before and after = no data changed.</summary>
    public async Task<string> RowsAsync(params string[] extraTables)
    {
        await using var c = new NpgsqlConnection(SuperuserConnectionString);
        await c.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", c))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                tables.Add(r.GetString(0));
            }
        }

        var text = new System.Text.StringBuilder();
        foreach (var t in tables.Concat(extraTables))
        {
            await using var cmd = new NpgsqlCommand($"SELECT COALESCE(string_agg(x::text, E'\\n' ORDER BY x::text), '') FROM {t} x", c);
            text.Append("== ").AppendLine(t).AppendLine((string)(await cmd.ExecuteScalarAsync())!);
        }

        return text.ToString();
    }

    /// <summary>The cron.job rows of this seed (its database or its prefix), read as the superuser.</summary>
    public async Task<IReadOnlyList<(long Id, string Name, string Username, bool Active, string Command)>> CronJobsAsync()
    {
        await using var c = new NpgsqlConnection(AdminConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT jobid, jobname, username, active, command FROM cron.job WHERE database = $1 OR jobname LIKE $2 ORDER BY jobid", c);
        cmd.Parameters.AddWithValue(Db.Name);
        cmd.Parameters.AddWithValue(Prefix + "%");
        var list = new List<(long, string, string, bool, string)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetString(4)));
        }

        return list;
    }

    /// <summary>Runs a JobQueue cron job's command in this database as the owner, as pg_cron would when it fires.</summary>
    public async Task FireAsync(string jobName)
    {
        var job = (await CronJobsAsync()).Single(j => j.Name == jobName);
        await Db.ExecuteAsync(job.Command);
    }

    public async Task<T> SuperuserScalarAsync<T>(string sql, params object[] args)
    {
        await using var c = new NpgsqlConnection(SuperuserConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var cron = new NpgsqlConnection(AdminConnectionString))
        {
            await cron.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(cron.unschedule(jobid)) FROM cron.job WHERE database = $1 OR jobname LIKE $2", cron);
            cmd.Parameters.AddWithValue(Db.Name);
            cmd.Parameters.AddWithValue(Prefix + "%");
            await cmd.ExecuteScalarAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await Db.DisposeAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }
}
