namespace JobQueue.GamePlatform;

/// <summary>One activity item of <c>GET /v1/competitors/{userId}/activity</c> (CONTRACT.md).</summary>
public sealed record GamePlatformActivity(string Id, long OccurredAtUnix, string Kind, int Points, string? Result);

/// <summary>One page of activity; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record GamePlatformActivityPage(IReadOnlyList<GamePlatformActivity> Items, string? NextCursor);

/// <summary><c>GET /v1/competitors/{userId}/totals</c>: the source of truth for a competitor's totals.</summary>
public sealed record GamePlatformTotals(string UserId, int Matches, int Wins, int Losses, long Points, long AsOfUnix);
