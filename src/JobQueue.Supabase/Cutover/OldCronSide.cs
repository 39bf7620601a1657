namespace JobQueue.Cutover;

/// <summary>
/// The old side of the parity report as read over the owner's connection: <see cref="Readable"/>
/// false (with <see cref="Note"/>) when nothing could be read; else the jobs that connection sees
/// (<see cref="SeenAs"/>; every job when <see cref="SeesAll"/>) and the pg_net responses per database.
/// </summary>
public sealed record OldCronSide(
    bool Readable, string? Note, string? SeenAs, bool SeesAll,
    IReadOnlyDictionary<long, OldCronJob> Jobs, IReadOnlyDictionary<string, PgNetResponses> Responses)
{
    public static OldCronSide Unreadable(string note) =>
        new(false, note, null, false, new Dictionary<long, OldCronJob>(), new Dictionary<string, PgNetResponses>());
}

/// <summary>
/// pg_net's responses in one database over the runs' time span: <see cref="Available"/> false, with
/// <see cref="Note"/>, when the database has no <c>net._http_response</c> or it cannot be read.
/// </summary>
public sealed record PgNetResponses(bool Available, string? Note, IReadOnlyList<PgNetResponse> Responses);
