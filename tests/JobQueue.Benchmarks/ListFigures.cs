using JobQueue.Queue;

namespace JobQueue.Benchmarks;

/// <summary>
/// What the admin list costs on a large table: one page (50 rows) for each filter the API offers,
/// with a rare task type whose rows are the OLDEST in the table (the worst case for a filter that
/// has no index of its own: every newer row is read before the page is full).
/// </summary>
public static class ListFigures
{
    public const string RareTaskType = "bench_rare";

    /// <summary>Old rows of <see cref="RareTaskType"/>: failed ones and pending ones due in a year (never claimed).</summary>
    public static Task InsertRareAsync(BenchDatabase db, int rowsPerStatus) => db.ExecuteAsync($"""
        INSERT INTO job_queue (task_type, status, attempts, run_at, last_error, completed_at, created_at)
        SELECT '{RareTaskType}', s.status, 1,
               CASE WHEN s.status = 'pending' THEN now() + interval '1 year' ELSE now() - interval '40 days' END,
               CASE WHEN s.status = 'failed' THEN 'bench' END,
               CASE WHEN s.status = 'failed' THEN now() - interval '1 day' END,
               now() - interval '40 days'
          FROM generate_series(1, {rowsPerStatus}), (VALUES ('failed'), ('pending')) AS s(status)
        """);

    public static async Task<IReadOnlyList<(string Filter, Samples Samples)>> MeasureAsync(JobReadStore store, int samples)
    {
        var filters = new (string Label, JobListQuery Query)[]
        {
            ("all", new JobListQuery()),
            ("status=succeeded", new JobListQuery(Status: "succeeded")),
            ("status=failed", new JobListQuery(Status: "failed")),
            ("status=pending", new JobListQuery(Status: "pending")),
            ("taskType=" + RareTaskType + "&status=failed", new JobListQuery(Status: "failed", TaskType: RareTaskType)),
            ("taskType=" + RareTaskType + " (oldest rows)", new JobListQuery(TaskType: RareTaskType)),
        };
        var result = new List<(string, Samples)>();
        foreach (var (label, query) in filters)
        {
            result.Add((label, await Samples.TimeAsync(samples, () => store.ListAsync(query))));
        }

        return result;
    }
}
