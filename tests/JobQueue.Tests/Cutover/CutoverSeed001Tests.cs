namespace JobQueue.Tests.Cutover;

/// <summary>
/// Seed 001 (Seeds/001.sql): a job_queue of another shape (job_type, scheduled_at, sync_id, statuses
/// pending/processing/processed/skipped), filled by a trigger on auto_syncs that inserts by table name,
/// and a pg_net job every minute with the service role key from a database setting.
/// </summary>
public sealed class CutoverSeed001Tests : CutoverSeedTest
{
    private const string ServiceRoleKey = "eyJhbGciOiJIUzI1NiJ9.c2VlZC0wMDEtc2VydmljZS1yb2xl.c2lnbmF0dXJlLTAwMQ";

    protected override string Seed => "001";

    protected override Dictionary<string, string> SeedValues(string receiver) => new() { ["receiver"] = receiver };

    protected override Dictionary<string, string?> SecretSettings(string receiver) => new()
    {
        ["Secrets:app-settings-service-role-key"] = ServiceRoleKey,
    };

    protected override IEnumerable<string> SecretValues => [ServiceRoleKey];

    protected override IReadOnlyList<string> AdoptedTaskTypes => ["reminder_24h", "pause_check_48h"];

    protected override async Task<(IReadOnlyList<Guid> Adopted, IReadOnlyList<Guid> Due)> ExpectedJobsAsync()
    {
        var reminders = new List<Guid>();
        foreach (var sync in new[] { "10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002" })
        {
            reminders.Add(await Seeded.SuperuserScalarAsync<Guid>($"SELECT id FROM public.job_queue WHERE sync_id = '{sync}' AND job_type = 'reminder_24h'"));
        }

        var pauseCheck = Guid.Parse("11000000-0000-4000-8000-000000000001");
        return ([.. reminders, pauseCheck], [pauseCheck]);
    }

    protected override IReadOnlyList<ExpectedCall> Conversions =>
    [
        new("process-auto-sync-jobs", "/functions/v1/process-auto-sync-jobs", "Authorization", "Bearer " + ServiceRoleKey),
    ];

    protected override async Task<Guid?> AppCodeEnqueuesAsync()
    {
        // the trigger on auto_syncs still inserts into job_queue by name: the view enqueues into JobQueue
        var sync = await Seeded.SuperuserScalarAsync<Guid>("INSERT INTO public.auto_syncs (event_name, status) VALUES ('Sunday', 'running') RETURNING id");
        var id = await Seeded.Db.ScalarAsync<Guid>("SELECT id FROM jobqueue.job_queue WHERE payload ->> 'sync_id' = $1 AND task_type = 'reminder_24h'", sync.ToString());
        Assert.NotEqual(Guid.Empty, id);
        Assert.True(await Seeded.Db.ScalarAsync<bool>("SELECT run_at > now() + interval '23 hours' FROM jobqueue.job_queue WHERE id = $1", id));
        // the sync goes again (its legacy jobs would cascade; it has none): public is as before for the rollback's comparison
        await Seeded.SuperuserScalarAsync<object>("DELETE FROM public.auto_syncs WHERE id = $1", sync);
        return id;
    }
}
