using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace JobQueue.Tests.Docs;

/// <summary>One command of the README's quick start and what it answered: bash's exit code, curl's HTTP status (if it called curl) and its output.</summary>
public sealed record QuickStartAnswer(string Command, int ExitCode, int? HttpStatus, string Output);

/// <summary>
/// The README's quick start: the shell commands between <c>&lt;!-- quickstart:begin --&gt;</c> and
/// <c>&lt;!-- quickstart:end --&gt;</c>, run in order in one bash session, each answer kept apart.
/// </summary>
public static partial class QuickStart
{
    public const string BeginMarker = "<!-- quickstart:begin -->";
    public const string EndMarker = "<!-- quickstart:end -->";

    /// <summary>The commands of the block: comments and blank lines dropped, continued lines joined.</summary>
    public static IReadOnlyList<string> Commands(string readme)
    {
        var begin = readme.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"the README has no {BeginMarker} ... {EndMarker} block");
        var commands = new List<string>();
        var current = new StringBuilder();
        foreach (var line in readme[(begin + BeginMarker.Length)..end].Split('\n'))
        {
            var trimmed = line.Trim();
            if (current.Length == 0 && (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith("```", StringComparison.Ordinal)))
            {
                continue;
            }

            current.Append(line.TrimEnd()).Append('\n');
            if (!trimmed.EndsWith('\\'))
            {
                commands.Add(current.ToString().TrimEnd());
                current.Clear();
            }
        }

        return commands;
    }

    /// <summary>
    /// Runs <paramref name="commands"/> in order in one bash session in <paramref name="workingDirectory"/>;
    /// every curl call also reports its HTTP status (on stderr, so a command substitution keeps only the body).
    /// </summary>
    public static async Task<IReadOnlyList<QuickStartAnswer>> RunAsync(IReadOnlyList<string> commands, string workingDirectory)
    {
        var script = new StringBuilder("exec 2>&1\ncurl() { command curl -w '%{stderr}\\n@@http %{http_code}\\n' \"$@\"; }\n");
        for (var i = 0; i < commands.Count; i++)
        {
            script.Append(commands[i]).Append('\n').Append($"echo \"@@end {i} $?\"\n");
        }

        var psi = new ProcessStartInfo("bash", ["-c", script.ToString()])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var bash = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = await bash.StandardOutput.ReadToEndAsync(timeout.Token);
        await bash.WaitForExitAsync(timeout.Token);

        var answers = new List<QuickStartAnswer>();
        var start = 0;
        foreach (Match end in EndLine().Matches(output))
        {
            var text = output[start..end.Index];
            var index = int.Parse(end.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var status = HttpLine().Match(text);
            answers.Add(new QuickStartAnswer(
                commands[index],
                int.Parse(end.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture),
                status.Success ? int.Parse(status.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                HttpLine().Replace(text, "").Trim()));
            start = end.Index + end.Length;
        }

        return answers;
    }

    [GeneratedRegex(@"^@@end (?<i>\d+) (?<code>\d+)\n", RegexOptions.Multiline)]
    private static partial Regex EndLine();

    [GeneratedRegex(@"\n?@@http (?<status>\d{3})\n?")]
    private static partial Regex HttpLine();
}
