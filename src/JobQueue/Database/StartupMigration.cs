using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobQueue.Database;

/// <summary>What every host runs at startup: the migrations, unless <c>Database:MigrateOnStartup=false</c>.</summary>
public static class StartupMigration
{
    public static async Task RunIfEnabledAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            return;
        }

        var connectionString = await services.GetRequiredService<DatabaseConnection>().ResolveAsync(cancellationToken);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(connectionString, cancellationToken);
    }
}
