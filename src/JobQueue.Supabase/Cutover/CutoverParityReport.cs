namespace JobQueue.Cutover;

/// <summary>
/// Builds the parity report (GET admin/cutover/parity): for each converted job, the old job's runs
/// (status, masked message, start, end, duration, and the pg_net status codes that arrived during the
/// run) beside the new schedule's jobs and attempts (outcome, duration, status code, error), each side
/// with its counts. An old side that could not be read is marked unreadable with the reason: its
/// counts are absent, not 0.
/// </summary>
public sealed class CutoverParityReport(CutoverParityStore store, OldCronRunReader oldSide)
{
    public async Task<object> BuildAsync(int runs, CancellationToken cancellationToken)
    {
        var converted = await store.GetConvertedJobsAsync(cancellationToken);
        if (converted.Count == 0)
        {
            return new
            {
                runs,
                oldSide = new { readable = (bool?)null, readAs = (string?)null, note = "no pg_cron job has been converted by the cut-over yet (jobqueue.cutover_cron_jobs is empty)" },
                jobs = Array.Empty<object>(),
                summary = new { converted = 0, rolledBack = 0 },
            };
        }

        var old = await oldSide.ReadAsync(converted, runs, cancellationToken);
        var attempts = await store.GetNewAttemptsAsync(
            converted.Select(c => c.NewJobName).Distinct(StringComparer.Ordinal).ToList(), converted.Min(c => c.ConvertedAt), runs, cancellationToken);
        return new
        {
            runs,
            oldSide = new { readable = (bool?)old.Readable, readAs = old.SeenAs, note = old.Note },
            jobs = converted.Select(c => new
            {
                c.OldJobId,
                c.OldJobName,
                c.OldUsername,
                c.OldDatabase,
                c.NewJobName,
                c.ConvertedAt,
                c.RolledBackAt,
                old = OldJob(c, old),
                @new = NewSchedule(attempts.Where(a => a.JobName == c.NewJobName && a.CreatedAt >= c.ConvertedAt).ToList()),
            }).ToList(),
            summary = new { converted = converted.Count, rolledBack = converted.Count(c => c.RolledBackAt is not null) },
        };
    }

    private static object OldJob(CutoverCronJob converted, OldCronSide old)
    {
        if (!old.Readable)
        {
            return new { readable = false, note = old.Note };
        }

        if (!old.Jobs.TryGetValue(converted.OldJobId, out var job))
        {
            return new
            {
                readable = false,
                note = old.SeesAll
                    ? $"pg_cron job {converted.OldJobId} no longer exists (deleted after the cut-over)"
                    : $"pg_cron shows {old.SeenAs} only its own jobs: connect as {converted.OldUsername} or a superuser to read job {converted.OldJobId}",
            };
        }

        var responses = old.Responses.TryGetValue(converted.OldDatabase, out var r) ? r : new PgNetResponses(false, null, []);
        var runs = job.Runs.Select((run, i) =>
        {
            var codes = responses.Available ? CodesDuring(run, i == 0 ? null : job.Runs[i - 1], responses.Responses) : null;
            return new
            {
                run.RunId,
                run.Status,
                run.Message,
                run.StartedAt,
                run.FinishedAt,
                durationMs = run.StartedAt is { } s && run.FinishedAt is { } f ? (long?)(f - s).TotalMilliseconds : null,
                httpStatusCodes = codes,
            };
        }).ToList();
        return new
        {
            readable = true,
            note = (string?)null,
            job.Active,
            runs,
            statuses = Count(job.Runs.Select(x => x.Status ?? "unknown")),
            httpStatusCodes = responses.Available ? Count(runs.SelectMany(x => x.httpStatusCodes!).Select(x => x?.ToString() ?? "none")) : null,
            pgNet = responses.Available
                ? "net._http_response status codes matched by time: pg_net does not link a response to the run that queued it (jobs that run in the same minute share them)"
                : responses.Note,
        };
    }

    /// <summary>The status codes of the responses that arrived from the run's start until the next run (at most <see cref="PgNetResponseReader.Window"/>).</summary>
    private static List<int?> CodesDuring(OldCronRun run, OldCronRun? next, IReadOnlyList<PgNetResponse> responses)
    {
        if (run.StartedAt is not { } start)
        {
            return [];
        }

        var end = start + PgNetResponseReader.Window;
        if (next?.StartedAt is { } nextStart && nextStart < end)
        {
            end = nextStart;
        }

        return responses.Where(x => x.Created >= start && x.Created < end).Select(x => x.StatusCode).ToList();
    }

    private static object NewSchedule(IReadOnlyList<NewScheduleAttempt> rows)
    {
        var attempts = rows.Where(a => a.Attempt is not null).ToList();
        return new
        {
            jobs = rows.GroupBy(a => a.JobId).Select(g => new
            {
                jobId = g.Key,
                status = g.First().JobStatus,
                createdAt = g.First().CreatedAt,
                attempts = g.Where(a => a.Attempt is not null).Select(a => new
                {
                    attempt = a.Attempt,
                    a.Outcome,
                    a.StartedAt,
                    a.FinishedAt,
                    a.DurationMs,
                    a.StatusCode,
                    a.Error,
                }).ToList(),
            }).ToList(),
            outcomes = Count(attempts.Select(a => a.Outcome ?? "unknown")),
            httpStatusCodes = Count(attempts.Where(a => a.StatusCode is not null).Select(a => a.StatusCode!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        };
    }

    private static SortedDictionary<string, int> Count(IEnumerable<string> values) =>
        new(values.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal);
}
