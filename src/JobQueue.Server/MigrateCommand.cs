using JobQueue.Database;
using Microsoft.Extensions.Options;

namespace JobQueue.Server;

/// <summary>
/// <c>JobQueue.Server migrate ["&lt;owner connection string&gt;"] [--Cron:MigrationConnectionString=...]</c>:
/// applies the migrations (the engine's, then those of the modules the server composes) as the schema owner and exits (0 = done, 1 = failed): the deploy-time
/// step (infra/local/migrate.sh wraps it). Without an argument the connection comes from
/// <c>Database:MigrationConnectionString</c> (settings or environment, e.g. <c>Database__MigrationConnectionString</c>).
/// </summary>
public static class MigrateCommand
{
    public const string Verb = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var positional = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
        var builder = Host.CreateApplicationBuilder(args.Skip(positional is null ? 1 : 2).ToArray());
        if (positional is not null)
        {
            builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.MigrationConnectionString)}"] = positional;
        }

        // the same modules as the server: their migration sets (the Game Platform's schema) are applied too
        JobQueueServer.AddEveryModule(builder.Services.AddJobQueue(builder.Configuration));
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JobQueue.Migrate");
        var options = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.MigrationConnectionString) && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            logger.LogError("usage: migrate \"<connection string of the schema owner>\" (or set Database:MigrationConnectionString)");
            return 2;
        }

        try
        {
            var connectionString = await host.Services.GetRequiredService<DatabaseConnection>().ResolveMigrationAsync();
            await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(connectionString);
            logger.LogInformation("Migrations applied");
            return 0;
        }
        catch (Exception e)
        {
            // the message only: a connection string never reaches a log line
            logger.LogError("Migration failed: {Error}", e.Message);
            return 1;
        }
    }
}
