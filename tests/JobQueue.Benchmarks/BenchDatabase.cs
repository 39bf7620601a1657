using JobQueue.Database;
using JobQueue.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Benchmarks;

/// <summary>A fresh database for one figure (migrated for JobQueue, empty for Hangfire), dropped at the end.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        // the harness's own SQL names JobQueue's tables without their schema (the library qualifies its calls)
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, SearchPath = "jobqueue,public" }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource? DataSource { get; private set; }

    public static async Task<BenchDatabase> CreateAsync(string server, string purpose, bool migrate = true)
    {
        var db = new BenchDatabase(server, $"jq_bench_{purpose}_{Guid.NewGuid():N}"[..40]);
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {db.Name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        if (migrate)
        {
            await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, modules: [JobQueue.GamePlatform.GamePlatformSchema.Set]).MigrateAsync(db.ConnectionString);
            db.DataSource = JobQueueServiceCollectionExtensions.BuildDataSource(db.ConnectionString);
        }

        return db;
    }

    /// <summary>The library's services as a host wires them (no log providers), with the no-op handlers.</summary>
    public ServiceProvider BuildServices(int maxLimit, Action<IServiceCollection>? configure = null)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [JobQueueServiceCollectionExtensions.ConnectionStringKey] = ConnectionString,
                [$"{RunnerOptions.Section}:{nameof(RunnerOptions.MaxLimit)}"] = maxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{RunnerOptions.Section}:{nameof(RunnerOptions.RunnerName)}"] = "bench",
                // the drain's R concurrent passes in this one process stand for R instances: each gets
                // the slots a pass of maxLimit jobs needs (Runner:Concurrency bounds one instance)
                [$"{RunnerOptions.Section}:{nameof(RunnerOptions.Concurrency)}"] = (maxLimit * 16).ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddSingleton(DataSource!);
        services.AddJobQueue(config).AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling();
        services.AddJobHandler<NoopHandler>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task ExecuteAsync(string sql, int timeoutSeconds = 600)
    {
        await using var conn = await DataSource!.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = timeoutSeconds };
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_server);
        await conn.OpenAsync();
        // without FORCE: the app role may not terminate autovacuum workers (DROP DATABASE stops them itself)
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name}", conn);
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }
}
