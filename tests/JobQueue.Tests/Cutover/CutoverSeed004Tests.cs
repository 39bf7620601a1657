using JobQueue.PgNet;

namespace JobQueue.Tests.Cutover;

/// <summary>
/// Seed 004 (Seeds/004.sql): no queue of its own (a background_job_status table), and a pg_net job whose
/// key is written into the command in plain text: the converted schedule reads it from the secret
/// named after the job and header, and the key itself is never printed.
/// </summary>
public sealed class CutoverSeed004Tests : CutoverSeedTest
{
    private const string LiteralKey = "eyJhbGciOiJIUzI1NiJ9.c2VlZC0wMDQtbGl0ZXJhbC1rZXk.c2lnbmF0dXJlLTAwNA";

    protected override string Seed => "004";

    protected override Dictionary<string, string> SeedValues(string receiver) => new() { ["receiver"] = receiver, ["literal_key"] = LiteralKey };

    protected override Dictionary<string, string?> SecretSettings(string receiver) => new()
    {
        [$"Secrets:{PgNetConverter.VaultName(Seeded.Prefix + "call-update-power-ratings-Authorization")}"] = LiteralKey,
    };

    protected override IEnumerable<string> SecretValues => [LiteralKey];

    protected override IReadOnlyList<string> AdoptedTaskTypes => [];

    protected override Task<(IReadOnlyList<Guid> Adopted, IReadOnlyList<Guid> Due)> ExpectedJobsAsync() =>
        Task.FromResult<(IReadOnlyList<Guid>, IReadOnlyList<Guid>)>(([], []));

    protected override IReadOnlyList<ExpectedCall> Conversions =>
        [new("call-update-power-ratings", "/functions/v1/call-update-power-ratings", "Authorization", "Bearer " + LiteralKey)];

    protected override Task<Guid?> AppCodeEnqueuesAsync() => Task.FromResult<Guid?>(null);
}
