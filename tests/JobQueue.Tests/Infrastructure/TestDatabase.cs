using JobQueue.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// A fresh database on the local cluster with the current schema (a copy of <see cref="TemplateDatabase"/>,
/// migrated once per run as the schema owner), dropped at the end. The library runs as the runtime login (<see cref="AppConnectionString"/>,
/// <see cref="DataSource"/>): a member of jobqueue_app that owns nothing, as in production. The
/// tests' own SQL (<see cref="ScalarAsync{T}"/>, <see cref="ExecuteAsync"/>, <see cref="OwnerDataSource"/>)
/// runs as the owner with the schema jobqueue on its search path.
/// Use as an xunit class fixture, or create one per test with <see cref="CreateAsync"/>.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Name { get; } = "jq_t_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The schema owner's connection string: what the migrations run as.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The runtime login's connection string: what the app runs as.</summary>
    public string AppConnectionString { get; private set; } = "";

    /// <summary>The library's data source (runtime login).</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The owner's data source with jobqueue on the search path, for the tests' own SQL.</summary>
    public NpgsqlDataSource OwnerDataSource { get; private set; } = null!;

    /// <summary>An existing database (not created or dropped by this object).</summary>
    public static TestDatabase Wrap(string connectionString, NpgsqlDataSource dataSource) =>
        new()
        {
            ConnectionString = connectionString,
            AppConnectionString = LocalPostgres.AsRuntimeLogin(connectionString),
            DataSource = dataSource,
            OwnerDataSource = NpgsqlDataSource.Create(LocalPostgres.WithJobQueueSearchPath(connectionString)),
            owned = false,
        };

    private bool owned = true;

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = new TestDatabase();
        await db.InitializeAsync();
        return db;
    }

    public async Task InitializeAsync()
    {
        await TemplateDatabase.CreateCopyAsync(Name);
        ConnectionString = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString) { Database = Name }.ConnectionString;
        AppConnectionString = LocalPostgres.AsRuntimeLogin(ConnectionString);
        DataSource = JobQueueServiceCollectionExtensions.BuildDataSource(AppConnectionString);
        OwnerDataSource = NpgsqlDataSource.Create(LocalPostgres.WithJobQueueSearchPath(ConnectionString));
    }

    /// <summary>
    /// Migrates again with <c>Database:PublicWrappers=true</c>: the compatibility wrappers in
    /// <c>public</c> (<c>public.job_queue_enqueue</c>, ...), for the tests of the callers of a replaced stack.
    /// </summary>
    public Task EnablePublicWrappersAsync() =>
        new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance,
                databaseOptions: Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { PublicWrappers = true }), modules: EveryModule.Schemas)
            .MigrateAsync(ConnectionString);

    /// <summary>The library's services over this database; <paramref name="configure"/> adds handlers or replaces parts.</summary>
    public ServiceProvider BuildServices(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [JobQueueServiceCollectionExtensions.ConnectionStringKey] = AppConnectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddSingleton(DataSource);
        services.AddJobQueueWithEveryModule(config);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = OwnerDataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    /// <summary>A scalar read as the app's runtime login (what it may see, e.g. its own sessions).</summary>
    public async Task<T> AppScalarAsync<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    /// <summary>A fingerprint of every row the API can change (jobs, attempts, settings, task limits): equal before and after = nothing changed.</summary>
    public Task<string> SnapshotAsync() => ScalarAsync<string>(
        "SELECT md5(COALESCE((SELECT string_agg(j::text, '|' ORDER BY j.id) FROM job_queue j), '') || '#' || " +
        "COALESCE((SELECT string_agg(a::text, '|' ORDER BY a.id) FROM job_queue_attempts a), '') || '#' || " +
        "(SELECT s::text FROM job_queue_settings s) || '#' || " +
        "COALESCE((SELECT string_agg(l::text, '|' ORDER BY l.task_type) FROM job_queue_task_limits l), ''))");

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var cmd = OwnerDataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (OwnerDataSource is not null)
        {
            await OwnerDataSource.DisposeAsync();
        }

        if (!owned)
        {
            return;
        }

        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        await using var admin = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await admin.OpenAsync();
        await LocalPostgres.DropDatabaseAsync(admin, Name);
    }
}
