using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// What every host runs at startup: the migrations, as the schema owner
/// (<c>Database:MigrationConnectionString</c>), unless <c>Database:MigrateOnStartup=false</c>.
/// </summary>
public static partial class StartupMigration
{
    public static async Task RunIfEnabledAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!options.MigrateOnStartup)
        {
            return;
        }

        var connectionString = await services.GetRequiredService<DatabaseConnection>().ResolveMigrationAsync(cancellationToken);
        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(connectionString, cancellationToken);
        }
        catch (Exception e) when (string.IsNullOrWhiteSpace(options.MigrationConnectionString)
                                  && (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // the runtime login is not the schema's owner (as it should be): it cannot migrate
            LogRuntimeLoginCannotMigrate(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupMigration)));
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error,
        Message = "The app's database login may not migrate the schema (it does not own it): migrations skipped. "
                  + "Set Database:MigrationConnectionString to the owner's connection, or set Database:MigrateOnStartup=false "
                  + "and run infra/local/migrate.sh as the owner at deploy time")]
    private static partial void LogRuntimeLoginCannotMigrate(ILogger logger);
}
