using System.Collections.Concurrent;
using JobQueue.GamePlatform;
using JobQueue.Runner;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Handlers;

/// <summary>Payload of <c>game_platform_sync</c>.</summary>
public sealed class GamePlatformSyncPayload
{
    /// <summary>Same reads, no writes; the output says what would change.</summary>
    public bool DryRun { get; set; }

    /// <summary>Only this coach's competitors (default: every competitor).</summary>
    public string? CoachId { get; set; }

    /// <summary>Fetch activity after this unix time instead of each competitor's own watermark (a backfill).</summary>
    public long? AfterTimeUnix { get; set; }
}

/// <summary>
/// <c>game_platform_sync</c>: for each competitor in scope, fetches activity after its watermark
/// (minus <see cref="GamePlatformOptions.SyncOverlapSeconds"/>) or after <c>afterTimeUnix</c>,
/// upserts it, flags the competitor for a totals refresh where something new was written and
/// advances the watermark, all in one transaction per competitor. One competitor's failure is
/// recorded in the output and does not stop the others.
/// </summary>
public sealed class GamePlatformSyncHandler(
    GamePlatformClientFactory clients, GamePlatformStore store, IOptions<GamePlatformOptions> options, TimeProvider time,
    ILogger<GamePlatformSyncHandler> logger)
    : JobHandler<GamePlatformSyncPayload>
{
    public const string Name = "game_platform_sync";

    public override string TaskType => Name;

    protected override IEnumerable<PayloadError> Validate(GamePlatformSyncPayload payload)
    {
        foreach (var e in GamePlatformJobOutcome.ValidateCoachId(payload.CoachId))
        {
            yield return e;
        }

        if (payload.AfterTimeUnix is < 0 or > 253402300799)
        {
            yield return new PayloadError("afterTimeUnix", "must be a unix time in seconds between 0 and 253402300799");
        }
    }

    protected override async Task<object?> HandleAsync(GamePlatformSyncPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        GamePlatformJobOutcome.EnsureConfigured(o);
        var client = clients.Create();
        var started = time.GetTimestamp();
        var scope = await store.GetSyncScopeAsync(payload.CoachId, cancellationToken);
        var changes = new ConcurrentBag<CompetitorChange>();
        var errors = new ConcurrentBag<CompetitorError>();
        long fetched = 0;
        var synced = 0;
        var rateLimit = new GamePlatformRateLimit(time);

        await Parallel.ForEachAsync(
            scope,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, o.MaxConcurrency), CancellationToken = cancellationToken },
            async (c, ct) =>
            {
                try
                {
                    var after = payload.AfterTimeUnix ?? (c.WatermarkUnix is { } w ? Math.Max(0, w - Math.Max(0, o.SyncOverlapSeconds)) : 0);
                    var activities = await client.GetActivityAfterAsync(c.UserId, after, o.PageSize, ct);
                    Interlocked.Add(ref fetched, activities.Count);
                    var written = payload.DryRun
                        ? await store.PreviewActivityAsync(c.Id, activities, ct)
                        : (await store.RecordActivityAsync(c.Id, activities, activities.Count == 0 ? null : activities.Max(a => a.OccurredAtUnix), ct)).Written;
                    if (written > 0)
                    {
                        changes.Add(new CompetitorChange(c.Id, c.CoachId, c.UserId, activities.Count, written));
                    }

                    Interlocked.Increment(ref synced);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    rateLimit.Note(e);
                    errors.Add(GamePlatformJobOutcome.Describe(c.Id, c.CoachId, c.UserId, e, Name, logger));
                }
            });

        GamePlatformLog.RunFinished(logger, Name, synced, scope.Count, errors.Count, changes.Count, payload.DryRun);
        rateLimit.ThrowIfLimited(Name);
        GamePlatformJobOutcome.ThrowIfFailed(Name, scope.Count, synced, errors);
        return new
        {
            dryRun = payload.DryRun,
            coachId = payload.CoachId,
            afterTimeUnix = payload.AfterTimeUnix,
            competitors = scope.Count,
            synced,
            failed = errors.Count,
            activitiesFetched = fetched,
            activitiesWritten = changes.Sum(c => c.Written),
            flagged = changes.Count,
            changes = changes.OrderBy(c => c.CompetitorId).Take(GamePlatformJobOutcome.MaxErrorsInOutput).ToList(),
            errors = GamePlatformJobOutcome.ForOutput(errors),
            durationMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    /// <summary>A competitor with new activity: written (or, in a dry run, that would be written) and flagged.</summary>
    public sealed record CompetitorChange(long CompetitorId, string CoachId, string UserId, int Fetched, int Written);
}
