using JobQueue.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// One headless Chromium for the dashboard's browser tests: Debian's <c>chromium</c> (installed by
/// infra/local/chromium.sh where missing; <c>JOBQUEUE_CHROMIUM</c> names another binary), driven by
/// Microsoft.Playwright's bundled driver (its own browser download is never used). Playwright starts
/// it with a new empty profile directory of its own; every test gets a new browser context (its own
/// cookies and sessionStorage).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests save their screenshots: <c>dashboard-screenshots/</c> in the test output directory.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("JOBQUEUE_CHROMIUM");
        if (string.IsNullOrWhiteSpace(executable))
        {
            executable = RunChromiumScript();
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 120_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }

    private static string RunChromiumScript()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(LocalPostgres.RepoRoot, "infra", "local", "chromium.sh")])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("infra/local/chromium.sh failed: headless Chromium is needed for the dashboard's browser tests");
        }

        return output.Trim().Split('\n')[^1];
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
