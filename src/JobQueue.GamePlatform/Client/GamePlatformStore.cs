using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.GamePlatform;

/// <summary>A competitor in the sync's scope.</summary>
public sealed record SyncCompetitor(long Id, string CoachId, string UserId, long? WatermarkUnix);

/// <summary>A competitor flagged for a totals refresh, with the flag generation the sweep read.</summary>
public sealed record FlaggedCompetitor(long Id, string CoachId, string UserId, long RefreshGeneration);

/// <summary>What the sync's write for one competitor did.</summary>
public sealed record ActivityWrite(int Written, bool Flagged);

/// <summary>
/// Every call the Game Platform handlers make to the database, in one place. The SQL lives in
/// the module's functions game_platform.game_platform_* (Schema/functions/ of this project); this class binds
/// parameters and reads rows.
/// </summary>
public sealed class GamePlatformStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers a competitor (or moves / renames it); returns its id. Idempotent.</summary>
    public async Task<long> UpsertCompetitorAsync(string coachId, string userId, string? displayName, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT game_platform.game_platform_upsert_competitor($1, $2, $3)");
        cmd.Parameters.Add(Text(coachId));
        cmd.Parameters.Add(Text(userId));
        cmd.Parameters.Add(Text(displayName));
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<SyncCompetitor>> GetSyncScopeAsync(string? coachId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT competitor_id, coach_id, game_platform_user_id, sync_watermark_unix FROM game_platform.game_platform_sync_scope($1)");
        cmd.Parameters.Add(Text(coachId));
        var list = new List<SyncCompetitor>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new SyncCompetitor(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return list;
    }

    /// <summary>Upserts the activity, flags the competitor if anything was new, advances the watermark: one transaction.</summary>
    public async Task<ActivityWrite> RecordActivityAsync(
        long competitorId, IReadOnlyList<GamePlatformActivity> activities, long? fetchedThroughUnix, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT written, flagged FROM game_platform.game_platform_record_activity($1, $2, $3)");
        cmd.Parameters.Add(Long(competitorId));
        cmd.Parameters.Add(Jsonb(JsonSerializer.Serialize(activities, Json)));
        cmd.Parameters.Add(Long(fetchedThroughUnix));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ActivityWrite(reader.GetInt32(0), reader.GetBoolean(1));
    }

    /// <summary>How many of <paramref name="activities"/> a write would add or change (dry run).</summary>
    public async Task<int> PreviewActivityAsync(long competitorId, IReadOnlyList<GamePlatformActivity> activities, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT game_platform.game_platform_preview_activity($1, $2)");
        cmd.Parameters.Add(Long(competitorId));
        cmd.Parameters.Add(Jsonb(JsonSerializer.Serialize(activities, Json)));
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Flagged competitors with an id above <paramref name="afterId"/>, read-only (dry run).</summary>
    public Task<IReadOnlyList<FlaggedCompetitor>> ListFlaggedAsync(string? coachId, long afterId, int batchSize, CancellationToken cancellationToken = default) =>
        ReadFlaggedAsync(
            "SELECT competitor_id, coach_id, game_platform_user_id, refresh_generation FROM game_platform.game_platform_list_flagged($1, $2, $3)",
            cancellationToken, Text(coachId), Long(afterId), Int(batchSize));

    /// <summary>Takes up to <paramref name="batchSize"/> flagged competitors no other sweep holds.</summary>
    public Task<IReadOnlyList<FlaggedCompetitor>> ClaimTotalsBatchAsync(
        string? coachId, int batchSize, TimeSpan lease, string claimedBy, CancellationToken cancellationToken = default) =>
        ReadFlaggedAsync(
            "SELECT competitor_id, coach_id, game_platform_user_id, refresh_generation FROM game_platform.game_platform_claim_totals_batch($1, $2, $3, $4)",
            cancellationToken, Text(coachId), Int(batchSize), Interval(lease), Text(claimedBy));

    /// <summary>Writes the totals and clears the flag (unless the sync flagged it again meanwhile); true when cleared.</summary>
    public async Task<bool> ApplyTotalsAsync(FlaggedCompetitor competitor, string claimedBy, GamePlatformTotals totals, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT game_platform.game_platform_apply_totals($1, $2, $3, $4, $5, $6, $7, $8)");
        cmd.Parameters.Add(Long(competitor.Id));
        cmd.Parameters.Add(Long(competitor.RefreshGeneration));
        cmd.Parameters.Add(Text(claimedBy));
        cmd.Parameters.Add(Int(totals.Matches));
        cmd.Parameters.Add(Int(totals.Wins));
        cmd.Parameters.Add(Int(totals.Losses));
        cmd.Parameters.Add(Long(totals.Points));
        cmd.Parameters.Add(Long(totals.AsOfUnix));
        return await cmd.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Gives a claimed row back without writing, so the next sweep takes it again.</summary>
    public async Task ReleaseTotalsClaimAsync(long competitorId, string claimedBy, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT game_platform.game_platform_release_totals_claim($1, $2)");
        cmd.Parameters.Add(Long(competitorId));
        cmd.Parameters.Add(Text(claimedBy));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<FlaggedCompetitor>> ReadFlaggedAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        var list = new List<FlaggedCompetitor>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new FlaggedCompetitor(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return list;
    }
}
