namespace JobQueue.Benchmarks;

/// <summary>
/// Sizes and switches of one run. Every value can be given as <c>--name value</c> or as the
/// environment variable <c>BENCH_NAME</c>; <c>--quick</c> shrinks every size for a smoke run.
/// </summary>
public sealed class BenchOptions
{
    /// <summary>Jobs drained by each queue.</summary>
    public int DrainJobs { get; private set; } = 100_000;

    /// <summary>Concurrent runner loops of the JobQueue drain (comma-separated: every value is tried).</summary>
    public IReadOnlyList<int> Runners { get; private set; } = [8, 16];

    /// <summary>Jobs per runner pass in the drain (Runner:MaxLimit is raised to match).</summary>
    public int PassLimit { get; private set; } = 500;

    /// <summary>Hangfire worker counts tried on a small drain to find its best; the best drains the full N.</summary>
    public IReadOnlyList<int> HangfireWorkers { get; private set; } = [8, 20, 40, 64];

    /// <summary>Jobs of each Hangfire worker-count trial.</summary>
    public int HangfireTrialJobs { get; private set; } = 2_000;

    /// <summary>
    /// Jobs of Hangfire's drain at its best worker count (default: the JobQueue drain's N, the same
    /// work; at a few hundred jobs/s that drain takes most of the full run's time).
    /// </summary>
    public int HangfireDrainJobs { get; private set; }

    /// <summary>Jobs enqueued one at a time (by each queue).</summary>
    public int SingleEnqueueJobs { get; private set; } = 5_000;

    /// <summary>Concurrent producers of the one-at-a-time enqueue.</summary>
    public int Producers { get; private set; } = 4;

    /// <summary>Jobs enqueued through the batch path.</summary>
    public int BatchEnqueueJobs { get; private set; } = 200_000;

    /// <summary>Jobs per batch call.</summary>
    public int BatchSize { get; private set; } = 10_000;

    /// <summary>Finished rows of the "large" table of the scale figures (the small one has 1,000).</summary>
    public int ScaleRows { get; private set; } = 1_000_000;

    /// <summary>Timed calls per latency figure.</summary>
    public int LatencySamples { get; private set; } = 2_000;

    /// <summary>Idle poll interval of the pickup figure's runner loop.</summary>
    public int PollMs { get; private set; } = 50;

    /// <summary>The server's <c>Runner:PollIntervalSeconds</c> in the HTTP pickup figure (its default is 1).</summary>
    public double ServerPollSeconds { get; private set; } = 1;

    /// <summary>Rounds of the held-horizon figure (each: a normal drain, then one with a snapshot held open).</summary>
    public int HorizonRounds { get; private set; } = 2;

    /// <summary>Jobs of each flow-control drain (no limit, concurrency limit, rate limit).</summary>
    public int LimitJobs { get; private set; } = 5_000;

    /// <summary>The concurrency limit of the flow-control drain.</summary>
    public int LimitConcurrency { get; private set; } = 3;

    /// <summary>The rate limit (starts per second) of the flow-control drain.</summary>
    public int LimitRate { get; private set; } = 1_000;

    /// <summary>Jobs drained by the Functions runner timer figure (fntimer) and by the server beside it.</summary>
    public int FunctionsDrainJobs { get; private set; } = 100_000;

    /// <summary>fntimer: the timer drain again at these raised <c>Runner:Concurrency</c> values, for context (empty: none).</summary>
    public IReadOnlyList<int> FunctionsConcurrency { get; private set; } = [128];

    /// <summary>Jobs timed one at a time by the Functions wake-up figure (fnwakeup), after 3 untimed ones.</summary>
    public int WakeUpSamples { get; private set; } = 50;

    /// <summary>Pause before each job of the wake-up figure, so that each pickup is cold (the queue listener has backed off).</summary>
    public int WakeUpPauseMs { get; private set; } = 3_000;

    /// <summary>Figures to run (comma-separated): drain, horizon, enqueue, latency, pickup, http, scale, limits, stats, fntimer, fnwakeup; empty = all.</summary>
    public IReadOnlySet<string> Only { get; private set; } = new HashSet<string>();

    /// <summary>PostgreSQL connection string (app user; must be allowed to CREATE DATABASE).</summary>
    public string ConnectionString { get; private set; } = "";

    public bool Runs(string figure) => Only.Count == 0 || Only.Contains(figure);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "drain-jobs", "runners", "pass-limit", "hangfire-workers", "hangfire-trial-jobs", "hangfire-drain-jobs",
                     "single-enqueue-jobs", "producers", "batch-enqueue-jobs", "batch-size", "scale-rows",
                     "latency-samples", "poll-ms", "limit-jobs", "limit-concurrency", "limit-rate", "server-poll-seconds", "horizon-rounds",
                     "functions-drain-jobs", "functions-concurrency", "wakeup-samples", "wakeup-pause-ms", "only", "connection-string", "quick" })
        {
            var env = Environment.GetEnvironmentVariable("BENCH_" + name.Replace('-', '_').ToUpperInvariant());
            if (!string.IsNullOrEmpty(env))
            {
                values[name] = env;
            }
        }

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (name == "quick")
            {
                values["quick"] = "1";
            }
            else if (i + 1 < args.Length)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }
        }

        if (values.TryGetValue("quick", out var quick) && quick is "1" or "true")
        {
            o.DrainJobs = 10_000;
            o.HangfireTrialJobs = 500;
            o.HangfireWorkers = [16, 40];
            o.SingleEnqueueJobs = 2_000;
            o.BatchEnqueueJobs = 50_000;
            o.ScaleRows = 100_000;
            o.LatencySamples = 300;
            o.LimitJobs = 3_000;
            o.LimitRate = 500;
            o.FunctionsDrainJobs = 10_000;
            o.WakeUpSamples = 15;
        }

        foreach (var (name, value) in values)
        {
            switch (name)
            {
                case "drain-jobs": o.DrainJobs = int.Parse(value); break;
                case "runners": o.Runners = Ints(value); break;
                case "pass-limit": o.PassLimit = int.Parse(value); break;
                case "hangfire-workers": o.HangfireWorkers = Ints(value); break;
                case "hangfire-trial-jobs": o.HangfireTrialJobs = int.Parse(value); break;
                case "hangfire-drain-jobs": o.HangfireDrainJobs = int.Parse(value); break;
                case "single-enqueue-jobs": o.SingleEnqueueJobs = int.Parse(value); break;
                case "producers": o.Producers = int.Parse(value); break;
                case "batch-enqueue-jobs": o.BatchEnqueueJobs = int.Parse(value); break;
                case "batch-size": o.BatchSize = int.Parse(value); break;
                case "scale-rows": o.ScaleRows = int.Parse(value); break;
                case "latency-samples": o.LatencySamples = int.Parse(value); break;
                case "poll-ms": o.PollMs = int.Parse(value); break;
                case "limit-jobs": o.LimitJobs = int.Parse(value); break;
                case "limit-concurrency": o.LimitConcurrency = int.Parse(value); break;
                case "limit-rate": o.LimitRate = int.Parse(value); break;
                case "server-poll-seconds": o.ServerPollSeconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "functions-drain-jobs": o.FunctionsDrainJobs = int.Parse(value); break;
                case "functions-concurrency": o.FunctionsConcurrency = Ints(value); break;
                case "wakeup-samples": o.WakeUpSamples = int.Parse(value); break;
                case "wakeup-pause-ms": o.WakeUpPauseMs = int.Parse(value); break;
                case "horizon-rounds": o.HorizonRounds = int.Parse(value); break;
                case "only": o.Only = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(); break;
                case "connection-string": o.ConnectionString = value; break;
                case "quick": break;
                default: throw new ArgumentException($"unknown option --{name}");
            }
        }

        if (o.HangfireDrainJobs <= 0)
        {
            o.HangfireDrainJobs = o.DrainJobs;
        }

        if (o.ConnectionString.Length == 0)
        {
            throw new ArgumentException("--connection-string (or BENCH_CONNECTION_STRING) is required: bash infra/local/bench.sh sets it");
        }

        return o;
    }

    private static int[] Ints(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
}
