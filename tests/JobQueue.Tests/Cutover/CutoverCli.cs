using JobQueue.Server;

namespace JobQueue.Tests.Cutover;

/// <summary>One run of <c>JobQueue.Server cutover ...</c> (what infra/local/cutover.sh runs), in process.</summary>
public sealed record CutoverCliRun(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>
/// Runs the server's cut-over subcommand with the given settings (<c>--Key=value</c>, as the server
/// reads them) and keeps everything it printed, for the assertions that no secret value is printed.
/// </summary>
public sealed class CutoverCli(IReadOnlyDictionary<string, string?> settings)
{
    private readonly List<CutoverCliRun> runs = [];

    public IReadOnlyList<CutoverCliRun> Runs => runs;

    public async Task<CutoverCliRun> RunAsync(string verb, string connection, bool json = false, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var args = new List<string> { CutoverCommand.Verb, verb, connection };
        if (json)
        {
            args.Add("--json");
        }

        foreach (var (key, value) in settings.Concat(extra ?? new Dictionary<string, string?>()))
        {
            args.Add($"--{key}={value}");
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CutoverCommand.RunAsync([.. args], output, error);
        var run = new CutoverCliRun(code, output.ToString(), error.ToString());
        runs.Add(run);
        return run;
    }
}
