using System.Diagnostics;
using JobQueue.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// The automated accessibility check: axe-core from npm (pinned with its lockfile in
/// infra/local/axe/, installed once by infra/local/axe.sh into a cache folder; <c>JOBQUEUE_AXE</c>
/// names another axe.min.js), loaded into the test's pages as an init script (the dashboard's
/// Content-Security-Policy does not apply to it, and the dashboard never serves it).
/// </summary>
internal static class AxeCore
{
    private static readonly Lazy<string> Script = new(Install);

    /// <summary>The path of axe.min.js.</summary>
    public static string ScriptPath => Script.Value;

    /// <summary>The serious and critical violations on the page as it is now: "rule: help @ targets".</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>(
            """
            async () => {
              const result = await window.axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
            }
            """);

    private static string Install()
    {
        var configured = Environment.GetEnvironmentVariable("JOBQUEUE_AXE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var psi = new ProcessStartInfo("bash", [Path.Combine(LocalPostgres.RepoRoot, "infra", "local", "axe.sh")])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("infra/local/axe.sh failed: axe-core is needed for the dashboard's accessibility tests");
        }

        var path = output.Trim().Split('\n')[^1];
        return File.Exists(path) ? path : throw new InvalidOperationException($"infra/local/axe.sh printed {path}, which does not exist");
    }
}
