using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Scheduling;
using JobQueue.Telemetry;
using JobQueue.Tests.Functions;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Telemetry;

/// <summary>
/// The monitoring queries (infra/monitoring/*.kql, the workbook's) read only what the app emits: a
/// real run (a job that succeeds, one retried then failed for good, a scheduled runner pass, a paused
/// pass) is captured with the same listeners an exporter uses, and every metric, tag, log property,
/// category and event id a query names must be among what was captured (instruments: published by
/// the meter; event ids: declared by a [LoggerMessage]).
/// </summary>
public sealed partial class MonitoringQueryTests : IAsyncLifetime
{
    /// <summary>customDimensions the Azure Monitor exporter adds itself (log records: category and event id; requests: links).</summary>
    private static readonly string[] ExporterDimensions = ["CategoryName", "EventId", "_MS.links"];

    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Every_name_the_monitoring_queries_read_is_emitted_by_a_real_run()
    {
        using var activities = new ActivityRecorder(JobQueueTelemetry.Name);
        var logs = new CapturingLoggerProvider();
        await using var services = db.BuildServices(
            s =>
            {
                s.AddSingleton<IJobHandler>(new DelegateHandler("monitor_ok", (_, _, _) => Task.FromResult<object?>(null)));
                s.AddSingleton<IJobHandler>(new DelegateHandler("monitor_boom", (_, _, _) => throw new InvalidOperationException("no")));
                s.AddLogging(b => b.AddProvider(logs));
            },
            new Dictionary<string, string?> { ["Runner:Backoff:BaseSeconds"] = "0", ["Runner:Backoff:MaxSeconds"] = "0" });
        using var metrics = new MeterRecorder(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), services.GetRequiredService<JobQueueMetrics>());
        var store = services.GetRequiredService<JobQueueStore>();
        var ok = await store.EnqueueAsync(new EnqueueRequest("monitor_ok"));
        var boom = await store.EnqueueAsync(new EnqueueRequest("monitor_boom", MaxAttempts: 2));
        var schedules = services.GetRequiredService<ScheduleRunner>();
        await schedules.RunAsync(Schedules.Runner.Name, isPastDue: false, CancellationToken.None);
        await schedules.RunAsync(Schedules.Runner.Name, isPastDue: false, CancellationToken.None);
        await services.GetRequiredService<QueueSettingsStore>().SetSettingsAsync(false, "monitoring test", "test");
        await services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest());
        metrics.Observe();

        var instruments = metrics.TagKeysByInstrument();
        var published = metrics.Published.ToHashSet();
        var ours = activities.Stopped.Where(a => a.GetTagItem(JobAttemptActivity.JobIdTag) is string id && (id == ok.ToString() || id == boom.ToString())).ToList();
        Assert.Equal(3, ours.Count);
        var activityTags = ours.SelectMany(a => a.TagObjects.Select(t => t.Key)).ToHashSet();
        var records = logs.Records.ToList();
        var dimensions = records.SelectMany(r => r.Properties.Keys)
            .Concat(instruments.Values.SelectMany(keys => keys)).Concat(activityTags).Concat(ExporterDimensions).ToHashSet();
        var categories = records.Select(r => r.Category).ToHashSet();
        var declaredEventIds = DeclaredEventIds();

        var problems = new List<string>();
        foreach (var (file, query) in Queries())
        {
            foreach (Match m in JobQueueName().Matches(query))
            {
                var name = m.Value.TrimEnd('.');
                if (!published.Contains(name) && !activityTags.Contains(name) && !published.Any(n => n.StartsWith(name + ".", StringComparison.Ordinal)))
                {
                    problems.Add($"{file}: {name} is neither an instrument of the meter ({string.Join(", ", published)}) nor an attempt tag");
                }
            }

            foreach (Match m in Dimension().Matches(query))
            {
                var key = m.Groups["dot"].Success ? m.Groups["dot"].Value : m.Groups["bracket"].Value;
                if (!dimensions.Contains(key))
                {
                    problems.Add($"{file}: customDimensions {key} is not a log property, metric tag or activity tag the app emits");
                }
            }

            foreach (Match m in Category().Matches(query))
            {
                if (!categories.Contains(m.Groups[1].Value))
                {
                    problems.Add($"{file}: no log of category {m.Groups[1].Value}");
                }
            }

            foreach (Match m in EventIdList().Matches(query))
            {
                foreach (Match id in Number().Matches(m.Groups[1].Value))
                {
                    if (!declaredEventIds.Contains(int.Parse(id.Value, System.Globalization.CultureInfo.InvariantCulture)))
                    {
                        problems.Add($"{file}: EventId {id.Value} is not declared by any [LoggerMessage] in the library");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
        // the alert's event is among what the run logged, at Error, with what the alert projects
        var failed = Assert.Single(records, r => r.EventId == 1003 && r.Properties["JobId"]?.ToString() == boom.ToString());
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal(typeof(JobRunner).FullName, failed.Category);
        Assert.Equal(AttemptOutcome.Failed, failed.Properties["Outcome"]);
    }

    /// <summary>Every query text: the .kql files and the workbook's query items.</summary>
    private static IEnumerable<(string File, string Query)> Queries()
    {
        var dir = RepositoryFiles.PathOf("infra/monitoring");
        foreach (var kql in Directory.GetFiles(dir, "*.kql"))
        {
            yield return (Path.GetFileName(kql), File.ReadAllText(kql));
        }

        using var workbook = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "workbook.json")));
        foreach (var item in workbook.RootElement.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("type").GetInt32() == 3)
            {
                yield return ("workbook.json " + item.GetProperty("name").GetString(), item.GetProperty("content").GetProperty("query").GetString()!);
            }
        }
    }

    private static HashSet<int> DeclaredEventIds() =>
        typeof(JobRunner).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .Where(a => a is not null)
            .Select(a => a!.EventId)
            .ToHashSet();

    [GeneratedRegex(@"jobqueue(\.[a-z_]+)+\.?")]
    private static partial Regex JobQueueName();

    [GeneratedRegex(@"customDimensions(\.(?<dot>[A-Za-z_]+)|\[""(?<bracket>[^""]+)""\])")]
    private static partial Regex Dimension();

    [GeneratedRegex(@"CategoryName\) == ""([^""]+)""")]
    private static partial Regex Category();

    [GeneratedRegex(@"EventId\) (?:==|in) \(?([^)|\n]+)")]
    private static partial Regex EventIdList();

    [GeneratedRegex(@"\d{4}")]
    private static partial Regex Number();
}
