namespace JobQueue.Tests.Cutover;

/// <summary>
/// Seed 003 (Seeds/003.sql): no queue of its own; six pg_net jobs with keys from public.cron_secrets
/// through public.get_secret, URLs built as get_secret('supabase_url') || '/functions/v1/...'.
/// </summary>
public sealed class CutoverSeed003Tests : CutoverSeedTest
{
    private const string ServiceRoleKey = "eyJhbGciOiJIUzI1NiJ9.c2VlZC0wMDMtc2VydmljZS1yb2xl.c2lnbmF0dXJlLTAwMw";
    private const string CronSecret = "seed003-cron-secret-5d1e0f7a9b3c2d4e6f80";
    private const string SchedulerToken = "seed003-scheduler-token-a8b7c6d5e4f3a2b1c0d9";

    protected override string Seed => "003";

    protected override Dictionary<string, string> SeedValues(string receiver) => new()
    {
        ["receiver"] = receiver,
        ["service_role_key"] = ServiceRoleKey,
        ["cron_secret"] = CronSecret,
        ["scheduler_token"] = SchedulerToken,
    };

    protected override Dictionary<string, string?> SecretSettings(string receiver) => new()
    {
        ["Secrets:supabase-url"] = receiver,
        ["Secrets:service-role-key"] = ServiceRoleKey,
        ["Secrets:cron-secret"] = CronSecret,
        ["Secrets:edge-function-url"] = receiver + "/functions/v1",
        ["Secrets:scheduler-secret-token"] = SchedulerToken,
    };

    protected override IEnumerable<string> SecretValues => [ServiceRoleKey, CronSecret, SchedulerToken];

    protected override IReadOnlyList<string> AdoptedTaskTypes => [];

    protected override Task<(IReadOnlyList<Guid> Adopted, IReadOnlyList<Guid> Due)> ExpectedJobsAsync() =>
        Task.FromResult<(IReadOnlyList<Guid>, IReadOnlyList<Guid>)>(([], []));

    protected override IReadOnlyList<ExpectedCall> Conversions =>
    [
        new("generate-t5-invoices", "/functions/v1/generate-t5-invoices", "apikey", ServiceRoleKey),
        new("run-escalation-orchestration", "/functions/v1/run-escalation-orchestration", "Authorization", "Bearer " + CronSecret),
        new("schedule-create-zoom", "/functions/v1/some-scheduler-endpoint", "Authorization", "Bearer " + SchedulerToken),
        new("generate-monthly-invoices", "/functions/v1/generate-monthly-invoices", "Authorization", "Bearer " + ServiceRoleKey),
        new("escalate-overdue-bookings", "/functions/v1/escalate-overdue-bookings", "Authorization", "Bearer " + ServiceRoleKey),
        new("notification-worker", "/functions/v1/notification-worker", "Authorization", "Bearer " + ServiceRoleKey),
    ];

    protected override Task<Guid?> AppCodeEnqueuesAsync() => Task.FromResult<Guid?>(null);
}
