namespace JobQueue.Tests.Infrastructure;

/// <summary>What the attempt records say about runs: the most attempts running at one moment.</summary>
public static class AttemptRecords
{
    /// <summary>The largest number of attempts whose [started_at, finished_at) contains one attempt's start.</summary>
    public static Task<long> PeakConcurrencyAsync(TestDatabase db, string? taskType = null) => db.ScalarAsync<long>(
        """
        SELECT COALESCE(max(running), 0) FROM (
          SELECT (SELECT count(*) FROM job_queue_attempts b JOIN job_queue jb ON jb.id = b.job_id
                   WHERE b.started_at <= a.started_at AND b.finished_at > a.started_at
                     AND ($1::text IS NULL OR jb.task_type = $1)) AS running
            FROM job_queue_attempts a JOIN job_queue ja ON ja.id = a.job_id
           WHERE $1::text IS NULL OR ja.task_type = $1) x
        """, (object?)taskType ?? DBNull.Value);
}
