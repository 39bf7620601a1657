using System.Collections.Concurrent;
using JobQueue.GamePlatform;
using JobQueue.Runner;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Handlers;

/// <summary>Payload of <c>game_platform_totals_sweep</c>.</summary>
public sealed class GamePlatformTotalsSweepPayload
{
    public const int MaxBatchSize = 1000;

    /// <summary>Same reads, no writes: flagged competitors and their fresh totals are reported only.</summary>
    public bool DryRun { get; set; }

    /// <summary>Only this coach's competitors (default: every competitor).</summary>
    public string? CoachId { get; set; }

    /// <summary>Competitors claimed per batch (1 to 1000).</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// <c>game_platform_totals_sweep</c>: claims flagged competitors in batches (rows another sweep holds
/// are skipped), fetches their totals from the API (the source of truth), and writes them and clears
/// the flag in one transaction. A competitor the sync flagged again meanwhile stays flagged.
/// Competitors whose totals could not be fetched are released for the next sweep.
/// </summary>
public sealed class GamePlatformTotalsSweepHandler(
    GamePlatformClientFactory clients, GamePlatformStore store, IOptions<GamePlatformOptions> options, TimeProvider time,
    ILogger<GamePlatformTotalsSweepHandler> logger)
    : JobHandler<GamePlatformTotalsSweepPayload>
{
    public const string Name = "game_platform_totals_sweep";

    public override string TaskType => Name;

    protected override IEnumerable<PayloadError> Validate(GamePlatformTotalsSweepPayload payload)
    {
        foreach (var e in GamePlatformJobOutcome.ValidateCoachId(payload.CoachId))
        {
            yield return e;
        }

        if (payload.BatchSize is < 1 or > GamePlatformTotalsSweepPayload.MaxBatchSize)
        {
            yield return new PayloadError("batchSize", $"must be between 1 and {GamePlatformTotalsSweepPayload.MaxBatchSize}");
        }
    }

    protected override async Task<object?> HandleAsync(GamePlatformTotalsSweepPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        GamePlatformJobOutcome.EnsureConfigured(o);
        var client = clients.Create();
        var started = time.GetTimestamp();
        var claimedBy = $"{context.JobId:N}:{context.Attempt}";
        var lease = TimeSpan.FromSeconds(Math.Max(1, o.SweepClaimLeaseSeconds));
        var errors = new ConcurrentBag<CompetitorError>();
        var failedIds = new ConcurrentBag<long>();
        var rateLimit = new GamePlatformRateLimit(time);
        var preview = new ConcurrentBag<TotalsPreview>();
        int seen = 0, refreshed = 0, cleared = 0, batches = 0;
        long afterId = 0;

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = payload.DryRun
                    ? await store.ListFlaggedAsync(payload.CoachId, afterId, payload.BatchSize, cancellationToken)
                    : await store.ClaimTotalsBatchAsync(payload.CoachId, payload.BatchSize, lease, claimedBy, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                batches++;
                seen += batch.Count;
                afterId = batch.Max(c => c.Id);
                await Parallel.ForEachAsync(
                    batch,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, o.MaxConcurrency), CancellationToken = cancellationToken },
                    async (c, ct) =>
                    {
                        try
                        {
                            var totals = await client.GetTotalsAsync(c.UserId, ct);
                            if (payload.DryRun)
                            {
                                preview.Add(new TotalsPreview(c.Id, c.CoachId, c.UserId, totals.Matches, totals.Wins, totals.Losses, totals.Points));
                            }
                            else if (await store.ApplyTotalsAsync(c, claimedBy, totals, ct))
                            {
                                Interlocked.Increment(ref cleared);
                            }

                            Interlocked.Increment(ref refreshed);
                        }
                        catch (Exception e) when (!ct.IsCancellationRequested)
                        {
                            rateLimit.Note(e);
                            failedIds.Add(c.Id);
                            errors.Add(GamePlatformJobOutcome.Describe(c.Id, c.CoachId, c.UserId, e, Name, logger));
                        }
                    });

                // the API is down or asked us to wait: stop claiming, the next sweep (or this job's retry) goes on
                if (batch.Count < payload.BatchSize || errors.Any(e => e.Failure is nameof(GamePlatformFailure.CircuitOpen) or nameof(GamePlatformFailure.RateLimited)))
                {
                    break;
                }
            }
        }
        finally
        {
            if (!payload.DryRun)
            {
                foreach (var id in failedIds)
                {
                    await store.ReleaseTotalsClaimAsync(id, claimedBy, CancellationToken.None);
                }
            }
        }

        GamePlatformLog.RunFinished(logger, Name, refreshed, seen, errors.Count, payload.DryRun ? preview.Count : cleared, payload.DryRun);
        rateLimit.ThrowIfLimited(Name);
        GamePlatformJobOutcome.ThrowIfFailed(Name, seen, refreshed, errors);
        return new
        {
            dryRun = payload.DryRun,
            coachId = payload.CoachId,
            batchSize = payload.BatchSize,
            batches,
            flagged = seen,
            refreshed,
            flagsCleared = cleared,
            // refreshed but flagged again by a sync that ran meanwhile: the next sweep takes them
            stillFlagged = payload.DryRun ? 0 : refreshed - cleared,
            failed = errors.Count,
            totals = payload.DryRun ? preview.OrderBy(p => p.CompetitorId).Take(GamePlatformJobOutcome.MaxErrorsInOutput).ToList() : null,
            errors = GamePlatformJobOutcome.ForOutput(errors),
            durationMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    /// <summary>Dry run: the totals a sweep would write.</summary>
    public sealed record TotalsPreview(long CompetitorId, string CoachId, string UserId, int Matches, int Wins, int Losses, long Points);
}
