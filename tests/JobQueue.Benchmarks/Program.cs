using JobQueue.Benchmarks;
using JobQueue.Queue;

// One summary line per figure on stdout (after "== summary"); progress on stderr.
var options = BenchOptions.Parse(args);
var summary = new List<string>();
void Line(string line)
{
    summary.Add(line);
    Console.Error.WriteLine("bench: " + line);
}

void Progress(string message) => Console.Error.WriteLine($"bench: [{DateTime.UtcNow:HH:mm:ss}] {message}");

var server = options.ConnectionString;

if (options.Runs("drain"))
{
    var jq = new List<(int R, double Rate, string Cpu)>();
    foreach (var r in options.Runners)
    {
        Progress($"jobqueue drain of {Fmt.N(options.DrainJobs)} jobs, R={r}, pass limit {options.PassLimit}");
        var (rate, cpu) = await JobQueueFigures.DrainAsync(server, options.DrainJobs, r, options.PassLimit);
        Progress($"  {Fmt.Rate(rate)} jobs/s ({cpu})");
        jq.Add((r, rate, cpu));
    }

    var hfTrials = new List<(int W, double Rate)>();
    foreach (var w in options.HangfireWorkers)
    {
        Progress($"hangfire trial drain of {Fmt.N(options.HangfireTrialJobs)} jobs, W={w}");
        var (rate, cpu) = await HangfireFigures.DrainAsync(server, options.HangfireTrialJobs, w);
        Progress($"  {Fmt.Rate(rate)} jobs/s ({cpu})");
        hfTrials.Add((w, rate));
    }

    var bestW = hfTrials.MaxBy(t => t.Rate).W;
    Progress($"hangfire drain of {Fmt.N(options.HangfireDrainJobs)} jobs, W={bestW} (best of the trials)");
    var hf = await HangfireFigures.DrainAsync(server, options.HangfireDrainJobs, bestW);
    var best = jq.MaxBy(t => t.Rate);
    Line($"drain: jobqueue {Fmt.Rate(best.Rate)} jobs/s (R={best.R}, pass limit {options.PassLimit}, N={Fmt.N(options.DrainJobs)}), " +
         $"hangfire {Fmt.Rate(hf.Rate)} jobs/s (W={bestW}, best of W={string.Join('/', options.HangfireWorkers)}, N={Fmt.N(options.HangfireDrainJobs)}), ratio {Fmt.Ratio(best.Rate / hf.Rate)}; cpu: jobqueue {best.Cpu}, hangfire {hf.Cpu}");
}

if (options.Runs("horizon"))
{
    // the same drain with and without a snapshot held open by another connection, interleaved so that
    // load changes on the shared machine weigh on both alike
    var r = options.Runners[0];
    var normal = new List<double>();
    var held = new List<double>();
    var normalCpu = new List<string>();
    var heldCpu = new List<string>();
    HeldHorizon? last = null;
    for (var round = 1; round <= options.HorizonRounds; round++)
    {
        Progress($"drain of {Fmt.N(options.DrainJobs)} jobs, R={r}, round {round}: normal");
        var (rate, cpu) = await JobQueueFigures.DrainAsync(server, options.DrainJobs, r, options.PassLimit);
        normal.Add(rate);
        normalCpu.Add(cpu);
        Progress($"  {Fmt.Rate(rate)} jobs/s ({cpu}); the same with a snapshot held open");
        last = new HeldHorizon();
        (rate, cpu) = await JobQueueFigures.DrainAsync(server, options.DrainJobs, r, options.PassLimit, last);
        held.Add(rate);
        heldCpu.Add(cpu);
        Progress($"  {Fmt.Rate(rate)} jobs/s ({cpu}; horizon held back {Fmt.N(last.HeldBackXids)} transactions, {Fmt.N(last.DeadRows)} dead rows in job_queue)");
    }

    Line($"held horizon: drain with a snapshot held open {Fmt.Rate(held.Max())} jobs/s vs {Fmt.Rate(normal.Max())} jobs/s without " +
         $"(best of {options.HorizonRounds} each, interleaved; R={r}, pass limit {options.PassLimit}, N={Fmt.N(options.DrainJobs)}), " +
         $"{held.Max() / normal.Max():P0} of the normal drain; every round: held {string.Join('/', held.Select(Fmt.Rate))}, " +
         $"normal {string.Join('/', normal.Select(Fmt.Rate))}; the last held snapshot lagged {Fmt.N(last!.HeldBackXids)} transactions, " +
         $"{Fmt.N(last.DeadRows)} dead rows in job_queue when released; cpu: held {heldCpu[held.IndexOf(held.Max())]}, normal {normalCpu[normal.IndexOf(normal.Max())]}");
}

if (options.Runs("enqueue"))
{
    Progress($"enqueue one at a time, {Fmt.N(options.SingleEnqueueJobs)} jobs, {options.Producers} producers");
    var single = await JobQueueFigures.EnqueueOneAtATimeAsync(server, options.SingleEnqueueJobs, options.Producers);
    var hf = await HangfireFigures.EnqueueAsync(server, options.SingleEnqueueJobs, options.Producers);
    Line($"enqueue one-at-a-time: jobqueue {Fmt.Rate(single)} jobs/s, hangfire {Fmt.Rate(hf)} jobs/s " +
         $"({options.Producers} producers, N={Fmt.N(options.SingleEnqueueJobs)}), ratio {Fmt.Ratio(single / hf)}");
    Progress($"enqueue batch, {Fmt.N(options.BatchEnqueueJobs)} jobs in batches of {Fmt.N(options.BatchSize)}");
    var (batch, batchCpu) = await JobQueueFigures.EnqueueBatchAsync(server, options.BatchEnqueueJobs, options.BatchSize);
    Line($"enqueue batch: jobqueue {Fmt.Rate(batch)} jobs/s (job_queue_enqueue_many, {Fmt.N(options.BatchSize)} per call, N={Fmt.N(options.BatchEnqueueJobs)}), " +
         $"ratio to hangfire's enqueue {Fmt.Ratio(batch / hf)}; cpu: {batchCpu}");
}

if (options.Runs("latency"))
{
    Progress($"runner pass latency (library level, in-process RunPassAsync), {options.LatencySamples} passes each");
    var (empty, five) = await LatencyFigures.RunnerPassAsync(server, options.LatencySamples);
    Line($"runner pass (library, in-process): empty queue {empty.P50P99()}; 5 due jobs {five.P50P99()}");
}

if (options.Runs("pickup"))
{
    Progress($"pickup latency (library level, runner loop polling every {options.PollMs} ms when idle)");
    var pickup = await LatencyFigures.PickupAsync(server, Math.Max(50, options.LatencySamples / 4), options.PollMs);
    Line($"pickup (library runner loop, idle poll {options.PollMs} ms): enqueue -> handler start {pickup.P50P99()}");
}

if (options.Runs("http"))
{
    Progress($"runner pass latency over HTTP (JobQueue.Server on Kestrel, loopback), {options.LatencySamples} requests each");
    var (empty, five) = await HttpFigures.RunnerPassAsync(server, options.LatencySamples);
    Line($"runner pass (HTTP POST /api/jobs/run, loopback, limit 5): empty queue {empty.P50P99()}; 5 due jobs {five.P50P99()}");
    Progress($"pickup latency with the server's runner loop (woken by the queue's notification; Runner:PollIntervalSeconds={options.ServerPollSeconds})");
    var pickup = await HttpFigures.PickupAsync(server, Math.Max(50, options.LatencySamples / 4), options.ServerPollSeconds);
    Line($"pickup (JobQueue.Server runner loop, LISTEN/NOTIFY wake-up, Runner:PollIntervalSeconds={options.ServerPollSeconds}): enqueue -> handler start {pickup.P50P99()}");
}

if (options.Runs("scale"))
{
    var scale = await ScaleFigures.RunAsync(server, options.ScaleRows, options.LatencySamples, Progress);
    Line($"scale claim: 1,000 finished rows {scale.Small.P50P99()}; {Fmt.N(options.ScaleRows)} finished rows {scale.Large.P50P99()}; " +
         $"ratio p50 {Fmt.Ratio(scale.Large.Percentile(50) / scale.Small.Percentile(50))}");
    Line($"scale health (counts by status, due and oldest pending, stuck, recent failures and attempts): 1,000 finished rows {scale.HealthSmall.P50P99()}; " +
         $"{Fmt.N(options.ScaleRows)} finished rows {scale.HealthLarge.P50P99()}; ratio p50 {Fmt.Ratio(scale.HealthLarge.Percentile(50) / scale.HealthSmall.Percentile(50))}");
    Line($"scale list ({Fmt.N(options.ScaleRows)} rows, one page of 50): " +
         string.Join("; ", scale.Lists.Select(l => $"{l.Filter} {l.Samples.P50P99()}")));
    Line($"scale cleanup: {Fmt.N(scale.CleanedRows)} old rows (+ attempts) deleted at {Fmt.Rate(scale.CleanupRowsPerSecond)} rows/s in batches of 1,000; " +
         $"concurrent claim before {scale.Before.P50P99()}, during {scale.During.P50P99()}");
}

if (options.Runs("limits"))
{
    var runners = options.Runners[0];
    var configs = new (string Name, TaskLimitSettings? Limits)[]
    {
        ("no limit", null),
        ($"concurrency limit {options.LimitConcurrency}", new TaskLimitSettings(MaxConcurrency: options.LimitConcurrency)),
        ($"rate limit {Fmt.N(options.LimitRate)}/s", new TaskLimitSettings(RateLimit: options.LimitRate, RateIntervalSeconds: 1)),
    };
    foreach (var (name, limits) in configs)
    {
        Progress($"limits drain of {Fmt.N(options.LimitJobs)} jobs, R={runners}, pass limit {options.PassLimit}, {name}");
        var d = await LimitFigures.DrainAsync(server, name, options.LimitJobs, runners, options.PassLimit, limits, 1);
        Line($"limits drain ({d.Config}, R={runners}, pass limit {options.PassLimit}, N={Fmt.N(options.LimitJobs)}): {Fmt.Rate(d.Rate)} jobs/s; " +
             $"runner pass {d.Passes.P50P99()}; largest concurrency observed {d.MaxConcurrency}; most starts in 1 s {Fmt.N(d.MaxStartsPerInterval)}");
    }

    var backlog = options.LimitJobs * 20;
    Progress($"claim while {Fmt.N(backlog)} due jobs wait behind a full concurrency limit");
    var blocked = await LimitFigures.BlockedClaimAsync(server, backlog, options.LatencySamples / 4, options.PassLimit);
    Line($"limits claim (limit {options.PassLimit}; {Fmt.N(backlog)} due jobs of a type whose concurrency limit 1 is taken, one claimable job of another type): {blocked.P50P99()}");
}

if (options.Runs("stats"))
{
    var runs = Math.Max(5, options.LatencySamples / 100);
    Progress($"stats pipeline on JobQueue.Server: {runs} runs of 10 steps sleeping {StatsPipelineFigures.StepSeconds} s, 4 at a time");
    var stats = await StatsPipelineFigures.RunAsync(server, runs, options.ServerPollSeconds);
    Line($"stats pipeline (JobQueue.Server, 10 steps x pg_sleep({StatsPipelineFigures.StepSeconds}) 4 at a time, loopback invalidation, " +
         $"{stats.Succeeded}/{stats.Runs} succeeded): enqueue -> start {stats.EnqueueToStart.P50P99()}; processing (started -> completed) {stats.Processing.P50P99()} " +
         $"(steps alone {stats.StepsOnly.P50P99()}); last step -> cache invalidated {stats.Invalidation.P50P99()}");
}

if (options.Runs("fntimer"))
{
    Progress($"Functions runner timer in-process (ScheduleRunner.RunAsync(\"Runner\"): draining passes, the app's defaults), {Fmt.N(options.FunctionsDrainJobs)} no-op jobs, one instance");
    var timer = await FunctionsTimerFigures.TimerDrainAsync(server, options.FunctionsDrainJobs);
    Progress($"  {Fmt.Rate(timer.Rate)} jobs/s in {timer.Ticks} tick(s) ({timer.Cpu})");
    Progress($"JobQueue.Server's runner loop over the same {Fmt.N(options.FunctionsDrainJobs)} jobs (its defaults), for comparison");
    var serverRate = await FunctionsTimerFigures.ServerDrainAsync(server, options.FunctionsDrainJobs);
    var raised = new List<string>();
    foreach (var c in options.FunctionsConcurrency)
    {
        Progress($"the same timer drain with Runner:Concurrency={c} (not the default), for context");
        var more = await FunctionsTimerFigures.TimerDrainAsync(server, options.FunctionsDrainJobs, c);
        raised.Add($"Runner:Concurrency={c} {Fmt.Rate(more.Rate)} jobs/s in {more.Ticks} tick(s) ({more.Cpu})");
    }

    Line($"functions timer drain (in-process ScheduleRunner.RunAsync(\"Runner\"), one instance, Runner:Concurrency={timer.Concurrency} (default), budget {timer.BudgetSeconds} s, N={Fmt.N(options.FunctionsDrainJobs)}): " +
         $"{Fmt.Rate(timer.Rate)} jobs/s in {timer.Ticks} tick(s); server runner loop (same N, defaults, first start -> last completion) {Fmt.Rate(serverRate)} jobs/s, " +
         $"ratio {Fmt.Ratio(timer.Rate / serverRate)}; cpu: timer {timer.Cpu}" + (raised.Count > 0 ? "; raised: " + string.Join("; ", raised) : ""));
}

if (options.Runs("fnwakeup"))
{
    Progress($"Functions wake-up pickup: built worker + test host + Azurite, {options.WakeUpSamples} jobs one at a time, {options.WakeUpPauseMs} ms + random 0-1 polling interval pause before each");
    var wake = await FunctionsWakeUpFigures.RunAsync(server, options.WakeUpSamples, TimeSpan.FromMilliseconds(options.WakeUpPauseMs), Progress);
    Line($"functions wake-up pickup (built worker via test host, Azurite queue, POST /api/admin/jobs one at a time, {options.WakeUpPauseMs} ms + random 0-{wake.PollingInterval.TotalMilliseconds:0} ms pause, no timer): " +
         $"HTTP enqueue call -> started_at {wake.HttpToStart.P50P99()}; created_at -> started_at {wake.CreatedToStart.P50P99()}; wake-up invocations {wake.WakeUpInvocations}");
}

Console.WriteLine("== summary");
foreach (var line in summary)
{
    Console.WriteLine(line);
}
