namespace GamePlatform.Simulator;

/// <summary>The simulator's mutable state: competitors, faults, request counters. Thread-safe.</summary>
public sealed class SimulatorState
{
    private readonly object gate = new();
    private readonly SimulatorOptions options;
    private readonly Dictionary<string, int> requests = new(StringComparer.Ordinal);
    private List<SimCompetitor> competitors = [];
    private SimulatorFaults faults = new();
    private int appended;

    public SimulatorState(SimulatorOptions options)
    {
        this.options = options;
        Reset();
    }

    /// <summary>In-process tests only: awaited before a totals response is sent (to hold a sweep mid-flight).</summary>
    public Func<string, CancellationToken, Task>? OnTotalsRequest { get; set; }

    public string ApiKey => options.ApiKey;

    public int MaxPageSize => Math.Max(1, options.MaxPageSize);

    public void Reset()
    {
        lock (gate)
        {
            competitors = SimulatorData.Generate(options);
            faults = options.Faults.Copy();
            requests.Clear();
            appended = 0;
        }
    }

    public SimulatorFaults Faults
    {
        get { lock (gate) { return faults.Copy(); } }
        set { lock (gate) { faults = value.Copy(); } }
    }

    /// <summary>Counts one API request to <paramref name="key"/> (e.g. <c>activity:gp-user-101</c>).</summary>
    public void Count(string key)
    {
        lock (gate)
        {
            requests[key] = requests.GetValueOrDefault(key) + 1;
        }
    }

    public int Requests(string key)
    {
        lock (gate) { return requests.GetValueOrDefault(key); }
    }

    public IReadOnlyDictionary<string, int> AllRequests()
    {
        lock (gate) { return new Dictionary<string, int>(requests, StringComparer.Ordinal); }
    }

    /// <summary>The fault this request gets (consuming one count), or null.</summary>
    public (int LatencyMs, Fault? Fault) TakeFault(string endpoint)
    {
        lock (gate)
        {
            if (faults.Only is { Length: > 0 } only && !string.Equals(only, endpoint, StringComparison.OrdinalIgnoreCase))
            {
                return (0, null);
            }

            Fault? fault = null;
            if (faults.Down)
            {
                fault = new Fault(503, null, 0);
            }
            else if (faults.Fail429 > 0)
            {
                faults.Fail429--;
                fault = new Fault(429, faults.RetryAfterSeconds, 0);
            }
            else if (faults.Fail5xx > 0)
            {
                faults.Fail5xx--;
                fault = new Fault(faults.Status5xx, null, 0);
            }
            else if (faults.Timeouts > 0)
            {
                faults.Timeouts--;
                fault = new Fault(504, null, faults.HangMs);
            }

            return (faults.LatencyMs, fault);
        }
    }

    /// <summary>The competitors (coach, user id, display name), in seed order.</summary>
    public IReadOnlyList<SimCompetitor> Competitors()
    {
        lock (gate) { return competitors.ToList(); }
    }

    public SimCompetitor? Find(string userId)
    {
        lock (gate) { return competitors.FirstOrDefault(c => c.UserId == userId); }
    }

    /// <summary>Activity strictly after <paramref name="afterUnix"/>, oldest first (a snapshot).</summary>
    public List<SimActivity>? ActivityAfter(string userId, long afterUnix)
    {
        lock (gate)
        {
            return Find(userId)?.Activity.Where(a => a.OccurredAtUnix > afterUnix)
                .OrderBy(a => a.OccurredAtUnix).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        }
    }

    public object? Totals(string userId, long nowUnix)
    {
        lock (gate) { return Find(userId)?.Totals(nowUnix); }
    }

    public IReadOnlyList<object> Describe(long nowUnix)
    {
        lock (gate)
        {
            return competitors.Select(c => (object)new
            {
                c.CoachId,
                c.UserId,
                c.DisplayName,
                activities = c.Activity.Count,
                lastActivityUnix = c.Activity.Count == 0 ? (long?)null : c.Activity.Max(a => a.OccurredAtUnix),
                totals = c.Totals(nowUnix),
            }).ToList();
        }
    }

    public SimCompetitor AddCompetitor(string coachId, string userId, string? displayName)
    {
        lock (gate)
        {
            var existing = competitors.FirstOrDefault(c => c.UserId == userId);
            if (existing is not null)
            {
                return existing;
            }

            var competitor = new SimCompetitor(coachId, userId, displayName ?? userId);
            competitors.Add(competitor);
            return competitor;
        }
    }

    /// <summary>
    /// Appends <paramref name="count"/> new activity items; each is later than everything the
    /// competitor has (or at <paramref name="occurredAtUnix"/> when given).
    /// </summary>
    public List<SimActivity>? Append(string userId, int count, long? occurredAtUnix, int? points, string? result)
    {
        lock (gate)
        {
            var competitor = competitors.FirstOrDefault(c => c.UserId == userId);
            if (competitor is null)
            {
                return null;
            }

            var rng = new Random(unchecked((options.Seed * 31) + (++appended)));
            var added = new List<SimActivity>();
            for (var i = 0; i < count; i++)
            {
                var last = competitor.Activity.Count == 0 ? options.StartUnix : competitor.Activity.Max(a => a.OccurredAtUnix);
                var at = occurredAtUnix ?? (last + 60);
                var activity = SimulatorData.NewActivity(competitor, competitor.Activity.Count + 1, at, rng, points, result);
                competitor.Activity.Add(activity);
                added.Add(activity);
            }

            return added;
        }
    }
}

/// <summary>A simulated failure: status code, optional Retry-After, optional hang before answering.</summary>
public sealed record Fault(int Status, int? RetryAfterSeconds, int HangMs);
