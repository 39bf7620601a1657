using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Docs;

/// <summary>
/// The README's five-minute walk works as written: its commands, run in order with bash against the
/// real server process (started as infra/local/run.sh starts it: the sample settings file, a runner
/// secret and admin token in .local/secrets.env), answer what the README says they answer.
/// </summary>
public sealed class QuickStartTests : IAsyncLifetime
{
    private const string RunnerSecret = "quick-start-runner-secret-0123456789";
    private const string AdminToken = "quick-start-admin-token-0123456789";

    /// <summary>What each command must answer, in the README's order: a piece of the command (to match it), the HTTP status, a piece of the body.</summary>
    private static readonly (string Command, int? Status, string? Body)[] Expected =
    [
        ("source .local/secrets.env", null, null),
        ("ADMIN=", null, null),
        ("JSON=", null, null),
        ("/api/admin/job-queue/health", 200, "\"processingEnabled\":true"),
        ("\"retentionDays\":30", 201, "\"jobId\""),
        ("sleep 3", null, null),
        ("status=succeeded", 200, "\"retentionDays\":30},\"status\":\"succeeded\""),
        ("JOB_ID=$(", 201, null),
        ("/api/admin/jobs/$JOB_ID\"", 200, "\"status\":\"pending\""),
        ("/run-now", 200, "\"status\":\"pending\""),
        ("sleep 3", null, null),
        ("/api/admin/jobs/$JOB_ID\"", 200, "\"status\":\"succeeded\""),
        ("JOB_ID=$(", 201, null),
        ("\"reason\":\"demo\"", 200, "\"status\":\"cancelled\""),
        ("\"reason\":\"again\"", 409, "\"status\":409"),
        ("/retry", 200, "\"status\":\"pending\""),
        ("\"processingEnabled\":false", 200, "\"processingEnabled\":false"),
        ("\"processingEnabled\":true", 200, "\"processingEnabled\":true"),
        ("trigger-sync", 200, "\"jobId\""),
        ("\"drain\":true", 200, "\"status\":\"ok\""),
    ];

    private readonly TestDatabase db = new();
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("quickstart-");
    private ServerProcess server = null!;

    public async Task InitializeAsync()
    {
        await db.InitializeAsync();
        var settings = Path.Combine(home.FullName, ".local", "settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(settings)!);
        File.Copy(Path.Combine(LocalPostgres.RepoRoot, "local.settings.sample.json"), settings);
        server = await ServerProcess.StartAsync(db, new Dictionary<string, string>
        {
            ["JOBQUEUE_SETTINGS_FILE"] = settings,
            ["Secrets__job-runner-secret"] = RunnerSecret,
            ["Secrets__admin-token"] = AdminToken,
            ["Schedules__Enabled"] = "false",
        });
        await File.WriteAllTextAsync(Path.Combine(home.FullName, ".local", "secrets.env"),
            $"JOBQUEUE_URL={server.Url}\nJOBQUEUE_RUNNER_SECRET={RunnerSecret}\nJOBQUEUE_ADMIN_TOKEN={AdminToken}\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await db.DisposeAsync();
        home.Delete(recursive: true);
    }

    [Fact]
    public async Task The_readmes_quick_start_runs_in_order_and_answers_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(LocalPostgres.RepoRoot, "README.md"));
        var commands = QuickStart.Commands(readme);
        Assert.True(commands.Count == Expected.Length,
            $"the README's quick start has {commands.Count} commands, this test knows {Expected.Length}: update Expected with what each new command answers\n" + string.Join("\n", commands));

        var answers = await QuickStart.RunAsync(commands, home.FullName);

        Assert.True(answers.Count == commands.Count, $"only {answers.Count} of {commands.Count} commands ran:\n{string.Join("\n", answers.Select(a => a.Output))}\nserver:\n{server.Output}");
        for (var i = 0; i < commands.Count; i++)
        {
            var (command, status, body) = Expected[i];
            var answer = answers[i];
            var where = $"quick-start command {i + 1}: {answer.Command}\nanswered: {answer.Output}";
            Assert.True(answer.Command.Contains(command, StringComparison.Ordinal), $"expected a command with {command}; {where}");
            Assert.True(answer.ExitCode == 0, $"exit code {answer.ExitCode}; {where}");
            Assert.True(answer.HttpStatus == status, $"HTTP {answer.HttpStatus?.ToString() ?? "none"}, expected {status?.ToString() ?? "none"}; {where}");
            if (body is not null)
            {
                Assert.True(answer.Output.Contains(body, StringComparison.Ordinal), $"expected {body} in the answer; {where}");
            }
        }
    }
}
