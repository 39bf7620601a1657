namespace JobQueue.Queue;

/// <summary>The values of <c>job_queue.status</c>.</summary>
public static class JobStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Processing, Succeeded, Failed, Cancelled];

    public static bool IsValid(string? status) => status is not null && All.Contains(status);
}
