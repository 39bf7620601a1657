namespace JobQueue.Tests.Cutover;

/// <summary>
/// Seed 002 (Seeds/002.sql): the Vercel worker team's queue with the notes' RPC signatures (enqueue
/// returns the row), the pause switch paused with a reason (carried over, and back on rollback), and a
/// worker kick by net.http_get with the runner secret from Vault as a bearer token.
/// </summary>
public sealed class CutoverSeed002Tests : CutoverSeedTest
{
    private const string RunnerSecret = "seed002-runner-secret-b41c7e99a0d2f3c85e6a";

    protected override string Seed => "002";

    protected override Dictionary<string, string> SeedValues(string receiver) => new() { ["receiver"] = receiver, ["runner_secret"] = RunnerSecret };

    protected override Dictionary<string, string?> SecretSettings(string receiver) => new()
    {
        ["Secrets:job-queue-worker-endpoint"] = receiver + "/api/jobs/run",
        ["Secrets:job-queue-runner-secret"] = RunnerSecret,
    };

    protected override IEnumerable<string> SecretValues => [RunnerSecret];

    protected override IReadOnlyList<string> AdoptedTaskTypes => ["coach_digest"];

    protected override Task<(IReadOnlyList<Guid> Adopted, IReadOnlyList<Guid> Due)> ExpectedJobsAsync() =>
        Task.FromResult<(IReadOnlyList<Guid>, IReadOnlyList<Guid>)>(([Id(1), Id(2), Id(3)], [Id(1)]));

    protected override IReadOnlyList<ExpectedCall> Conversions => [new("kick_worker", "/api/jobs/run", "Authorization", "Bearer " + RunnerSecret)];

    protected override async Task AfterApplyAsync()
    {
        Assert.False(await Seeded.Db.ScalarAsync<bool>("SELECT processing_enabled FROM jobqueue.job_queue_settings"));
        Assert.Equal("Game Platform maintenance window", await Seeded.Db.ScalarAsync<string>("SELECT paused_reason FROM jobqueue.job_queue_settings"));
        Assert.Equal("failed", await Seeded.Db.ScalarAsync<string>("SELECT status FROM jobqueue.job_queue WHERE id = $1", Id(3)));
        Assert.Equal("coach not found", await Seeded.Db.ScalarAsync<string>("SELECT last_error FROM jobqueue.job_queue WHERE id = $1", Id(3)));
        Assert.Equal(2, await Seeded.Db.ScalarAsync<int>("SELECT attempts FROM jobqueue.job_queue WHERE id = $1", Id(2)));
        Assert.Equal(0L, await Seeded.Db.ScalarAsync<long>("SELECT count(*) FROM jobqueue.job_queue WHERE id = $1", Id(4)));
    }

    protected override async Task<Guid?> AppCodeEnqueuesAsync()
    {
        // supabase.rpc('job_queue_enqueue', {task_type, payload}) with the notes' named arguments; the row comes back
        var id = await Seeded.SuperuserScalarAsync<Guid>("SELECT (public.job_queue_enqueue(task_type => 'coach_digest', payload => '{\"coachId\": \"c-20\"}'::jsonb)).id");
        Assert.True(await Seeded.SuperuserScalarAsync<bool>("SELECT count(*) = 0 FROM public.job_queue_claim(0)"));
        return id;
    }

    private static Guid Id(int n) => Guid.Parse($"20000000-0000-4000-8000-{n:D12}");
}
