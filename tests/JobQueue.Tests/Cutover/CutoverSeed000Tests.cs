namespace JobQueue.Tests.Cutover;

/// <summary>
/// Seed 000 (Seeds/000.sql): its own job_queue of JobQueue's shape, the four RPCs, the pause switch, and
/// pg_net jobs reading Supabase Vault: the edge-function sync (URL = Vault's project_url || path, bearer
/// service_role_key) and the worker call (URL and runner secret from Vault).
/// </summary>
public sealed class CutoverSeed000Tests : CutoverSeedTest
{
    private const string ServiceRoleKey = "eyJhbGciOiJIUzI1NiJ9.c2VlZC0wMDAtc2VydmljZS1yb2xl.c2lnbmF0dXJlLTAwMA";
    private const string RunnerSecret = "seed000-runner-secret-7f3a9c2e51b8d4406e1f";

    protected override string Seed => "000";

    protected override Dictionary<string, string> SeedValues(string receiver) => new()
    {
        ["receiver"] = receiver,
        ["service_role_key"] = ServiceRoleKey,
        ["runner_secret"] = RunnerSecret,
    };

    protected override Dictionary<string, string?> SecretSettings(string receiver) => new()
    {
        ["Secrets:project-url"] = receiver,
        ["Secrets:service-role-key"] = ServiceRoleKey,
        ["Secrets:job-queue-worker-endpoint"] = receiver + "/api/jobs/run",
        ["Secrets:job-queue-runner-secret"] = RunnerSecret,
    };

    protected override IEnumerable<string> SecretValues => [ServiceRoleKey, RunnerSecret];

    protected override IReadOnlyList<string> AdoptedTaskTypes => ["notify_coach"];

    protected override Task<(IReadOnlyList<Guid> Adopted, IReadOnlyList<Guid> Due)> ExpectedJobsAsync() =>
        Task.FromResult<(IReadOnlyList<Guid>, IReadOnlyList<Guid>)>(([Id(1), Id(2), Id(3), Id(4)], [Id(2), Id(3)]));

    protected override IReadOnlyList<ExpectedCall> Conversions =>
    [
        new("sync_game_platform_stats", "/functions/v1/sync", "Authorization", "Bearer " + ServiceRoleKey),
        new("job_queue_worker", "/api/jobs/run", "x-job-runner-secret", RunnerSecret),
    ];

    protected override async Task<Guid?> AppCodeEnqueuesAsync()
    {
        // as the pg_cron job game_platform_sync_incremental and the app's supabase.rpc('job_queue_enqueue') do
        var id = await Seeded.SuperuserScalarAsync<Guid>("SELECT job_queue_enqueue('notify_coach', '{\"coachId\": \"c-9\"}'::jsonb, now() + interval '1 hour')");
        Assert.Equal("notify_coach", await Seeded.Db.ScalarAsync<string>("SELECT task_type FROM jobqueue.job_queue WHERE id = $1", id));
        return id;
    }

    private static Guid Id(int n) => Guid.Parse($"00000000-0000-4000-8000-{n:D12}");
}
