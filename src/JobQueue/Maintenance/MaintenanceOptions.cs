namespace JobQueue.Maintenance;

/// <summary>Settings section <c>Maintenance</c>: the queue's upkeep (<see cref="QueueMaintainer"/>).</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    /// <summary>Server only: run the maintainer on this instance (it still leads only when elected).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Server only: seconds between two maintenance rounds (the Functions app's rounds are its QueueMaintenance timer's ticks).</summary>
    public double IntervalSeconds { get; set; } = 1;

    /// <summary>
    /// How long a leader's lease lasts without renewal: when the leader dies or freezes, another
    /// instance takes over after at most this long. The leader renews it on every round, so it must
    /// be longer than the server's interval; keep it shorter than the Functions timer's period so that
    /// whichever instance ticks next can lead.
    /// </summary>
    public double LeaderLeaseSeconds { get; set; } = 5;

    /// <summary>Seconds between two samples of the queue gauges (due pending jobs, oldest pending age) by the leader.</summary>
    public double GaugeIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Seconds between two repairs of the jobs' held flag by the leader (<see cref="HeldFlagRepairer"/>):
    /// about the longest a job flagged against its type's limits waits (the enqueue functions keep the flag
    /// right under a per-type lock; a write that bypasses them, e.g. an operator's UPDATE, can leave it stale).
    /// </summary>
    public double HeldRepairIntervalSeconds { get; set; } = 30;
}
