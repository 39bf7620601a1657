using JobQueue.Cron;
using JobQueue.Cutover;
using Microsoft.Extensions.Options;

namespace JobQueue.Server;

/// <summary>
/// <c>JobQueue.Server cutover plan|apply|rollback "&lt;owner connection string&gt;" [--json] [--cron "&lt;owner connection to pg_cron's database&gt;"]</c>:
/// moves a lived-in Supabase project's queue, RPCs, pause switch and pg_cron/pg_net schedules onto
/// JobQueue (src/JobQueue.Supabase/Cutover/README.md). Runs inside the server's host, so the secrets the
/// converted schedules need are checked where they will be read (Key Vault, or <c>Secrets:&lt;name&gt;</c>).
/// Prints a report on stdout (JSON with <c>--json</c>); exit 0 done or nothing to do, 1 refused or
/// failed, 2 usage. Never prints a connection string or a secret value. Other <c>--Key=value</c>
/// arguments are settings, as for the server.
/// </summary>
public static class CutoverCommand
{
    public const string Verb = "cutover";

    public const string Usage =
        "usage: JobQueue.Server cutover plan|apply|rollback \"<owner connection string>\" [--json] [--cron \"<owner connection to pg_cron's database>\"]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var rest = args.Skip(1).ToList();
        var json = rest.Remove("--json");
        string? cron = null;
        var cronAt = rest.IndexOf("--cron");
        if (cronAt >= 0)
        {
            if (cronAt + 1 >= rest.Count)
            {
                await error.WriteLineAsync(Usage);
                return 2;
            }

            cron = rest[cronAt + 1];
            rest.RemoveRange(cronAt, 2);
        }

        var positional = rest.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (positional.Count is < 1 or > 2 || !Enum.TryParse<CutoverVerb>(positional[0], ignoreCase: true, out var verb)
            || !positional[0].All(char.IsAsciiLetterLower))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(rest.Skip(positional.Count).ToArray());
        // without the argument: Database:MigrationConnectionString (keeps a password out of the process list)
        var owner = positional.Count == 2 ? positional[1] : builder.Configuration["Database:MigrationConnectionString"];
        if (string.IsNullOrWhiteSpace(owner))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        builder.Logging.ClearProviders();
        // the handlers' registry is built over a data source; without an app connection of its own the
        // host uses the owner's (no connection is opened for it: the cut-over opens its own)
        builder.Configuration["Database:ConnectionString"] ??= owner;
        builder.Services.AddJobQueue(builder.Configuration).AddHttpJobs().AddSupabaseTooling();
        using var host = builder.Build();
        // pg_cron's database when it is not the app's: Cron:MigrationConnectionString, Cron:Database or Cron:ConnectionString, as for migrate
        cron ??= host.Services.GetRequiredService<IOptions<CronOptions>>().Value.CronMigrationConnectionString(owner);
        var result = await host.Services.GetRequiredService<CutoverEngine>().RunAsync(verb, owner, cron, CancellationToken.None);
        await output.WriteAsync(json ? CutoverReport.ToJson(result) + Environment.NewLine : CutoverReport.Text(result));
        return result.ExitCode;
    }
}
