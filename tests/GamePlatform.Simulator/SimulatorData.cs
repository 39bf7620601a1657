namespace GamePlatform.Simulator;

/// <summary>One simulated activity item (wire shape of CONTRACT.md).</summary>
public sealed record SimActivity(string Id, long OccurredAtUnix, string Kind, int Points, string? Result);

/// <summary>A simulated competitor and its activity, oldest first.</summary>
public sealed class SimCompetitor(string coachId, string userId, string displayName)
{
    public string CoachId { get; } = coachId;

    public string UserId { get; } = userId;

    public string DisplayName { get; } = displayName;

    public List<SimActivity> Activity { get; } = [];

    public object Totals(long nowUnix) => new
    {
        userId = UserId,
        matches = Activity.Count(a => a.Kind == "match"),
        wins = Activity.Count(a => a.Result == "win"),
        losses = Activity.Count(a => a.Result == "loss"),
        points = Activity.Sum(a => (long)a.Points),
        asOfUnix = nowUnix,
    };
}

/// <summary>The deterministic seed data.</summary>
public static class SimulatorData
{
    public static string CoachId(int coach) => $"coach-{coach}";

    public static string UserId(int coach, int competitor) => $"gp-user-{coach}{competitor:00}";

    public static List<SimCompetitor> Generate(SimulatorOptions o)
    {
        var list = new List<SimCompetitor>();
        for (var c = 1; c <= o.Coaches; c++)
        {
            for (var k = 1; k <= o.CompetitorsPerCoach; k++)
            {
                var competitor = new SimCompetitor(CoachId(c), UserId(c, k), $"Competitor {c}-{k}");
                var rng = new Random(unchecked((o.Seed * 7919) + (c * 1000) + k));
                var t = o.StartUnix + rng.Next(0, 3600);
                for (var i = 1; i <= o.ActivitiesPerCompetitor; i++)
                {
                    competitor.Activity.Add(NewActivity(competitor, i, t, rng));
                    t += rng.Next(600, 7200);
                }

                list.Add(competitor);
            }
        }

        return list;
    }

    public static SimActivity NewActivity(SimCompetitor competitor, int index, long occurredAtUnix, Random rng, int? points = null, string? result = null) =>
        new($"{competitor.UserId}-a{index:0000}", occurredAtUnix, "match", points ?? rng.Next(0, 31), result ?? (rng.Next(2) == 0 ? "win" : "loss"));
}
