using System.Text.RegularExpressions;
using JobQueue.Database;
using JobQueue.Maintenance;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Recovery;

/// <summary>
/// While the database is unavailable the background loops back off (1 s doubling to 30 s) and log one
/// line per wait, without a stack trace, instead of one a second (issue 12, item 3).
/// </summary>
public sealed partial class OutageBackoffTests : IDisposable
{
    private readonly CapturingLoggerProvider logs = new();

    public void Dispose() => logs.Dispose();

    [Fact]
    public void The_backoff_doubles_from_one_second_to_thirty_with_jitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.8), OutageBackoff.After(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(2 * 1.2), OutageBackoff.After(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(16), OutageBackoff.After(5, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), OutageBackoff.After(6, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30 * 1.2), OutageBackoff.After(1000, 1));
    }

    [Fact]
    public async Task The_runner_loop_and_the_maintainer_back_off_while_the_database_is_down()
    {
        await using var services = Services();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(7));
        await Task.WhenAll(
            services.GetRequiredService<RunnerLoop>().RunAsync(TimeSpan.FromSeconds(1), stop.Token),
            services.GetRequiredService<QueueMaintainer>().RunAsync(stop.Token));

        // 1013: the server loop's executor, whose claims fail; 5020: the maintainer
        foreach (var eventId in new[] { "[1013]", "[5020]" })
        {
            var lines = logs.Lines.Where(l => l.Contains(eventId, StringComparison.Ordinal)).ToList();
            // failures at about 0, 1, 3 and 7 s: at most 4 lines in 7 s (a loop without backoff: 7 or more)
            Assert.InRange(lines.Count, 2, 4);
            var waits = lines.Select(l => double.Parse(RetryIn().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(waits.SequenceEqual(waits.Order()) && waits[^1] > waits[0], string.Join(" | ", lines));
            Assert.All(lines, l => Assert.StartsWith("Warning", l, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    private ServiceProvider Services()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = new OwnCluster(53).RuntimeConnectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddJobQueueWithEveryModule(config);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        return services.BuildServiceProvider();
    }

    [GeneratedRegex(@"RetryInSeconds=([0-9.]+)")]
    private static partial Regex RetryIn();
}
