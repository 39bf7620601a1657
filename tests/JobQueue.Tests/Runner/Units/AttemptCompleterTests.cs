using JobQueue.Queue;
using JobQueue.Runner;

namespace JobQueue.Tests.Runner.Units;

/// <summary>The completer alone: batches of finished attempts, one round trip each, and retries after a database error.</summary>
public sealed class AttemptCompleterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Finished_attempts_wait_for_the_batch_window_then_are_recorded_in_one_call_and_free_their_slots()
    {
        using var h = new RunnerUnitHarness();
        using var pass = new PassCancellation(null, h.Time);
        var (completer, jobs) = await h.ClaimedAsync(3);
        foreach (var job in jobs)
        {
            completer.Add(Finished(h, pass, job, succeeded: true), h.Time.GetUtcNow());
        }

        Assert.False(completer.IsDue(h.Time.GetUtcNow(), recordNow: false, Window));
        h.Time.Advance(Window);
        Assert.True(completer.IsDue(h.Time.GetUtcNow(), recordNow: false, Window));
        Assert.Equal(jobs.Select(j => j.Id).Order(), completer.JobIds.Order());

        var tally = new PassTally(10);
        Assert.True(await completer.RecordAsync(tally));

        Assert.Equal(["claim 3", "complete 3"], h.Store.CallList);
        Assert.Equal(0, completer.Count);
        Assert.Equal(0, h.Slots.InUse);
        var report = tally.Report(null);
        Assert.Equal((3, 3, 0), (report.Processed, report.Succeeded, report.Failed));
    }

    [Fact]
    public void Slots_wanted_or_nothing_else_running_record_at_once()
    {
        using var h = new RunnerUnitHarness();
        var completer = h.Completer(new SessionDatabaseRetry(h.Time));
        using var pass = new PassCancellation(null, h.Time);

        Assert.False(completer.IsDue(h.Time.GetUtcNow(), recordNow: true, Window)); // nothing to record
        completer.Add(Finished(h, pass, InMemoryRunnerStore.NewJob("t"), succeeded: true), h.Time.GetUtcNow());

        Assert.True(completer.IsDue(h.Time.GetUtcNow(), recordNow: true, Window));
    }

    [Fact]
    public async Task A_failed_record_keeps_the_batch_and_tries_again_after_the_outage_backoff()
    {
        using var h = new RunnerUnitHarness();
        using var pass = new PassCancellation(null, h.Time);
        var (completer, jobs) = await h.ClaimedAsync(1);
        var job = jobs[0];
        completer.Add(Finished(h, pass, job, succeeded: false), h.Time.GetUtcNow());
        h.Store.FailingCompletes = 1;
        var tally = new PassTally(10);

        Assert.False(await completer.RecordAsync(tally));
        Assert.Equal(1, completer.Count);
        Assert.Equal(1, h.Slots.InUse);
        Assert.Equal(0, tally.Processed);
        // the first outage wait: 1 s ±20%
        h.Time.Advance(TimeSpan.FromSeconds(0.79));
        Assert.False(completer.IsDue(h.Time.GetUtcNow(), recordNow: true, Window));
        h.Time.Advance(TimeSpan.FromSeconds(0.41));
        Assert.True(completer.IsDue(h.Time.GetUtcNow(), recordNow: true, Window));

        Assert.True(await completer.RecordAsync(tally));
        Assert.Equal(["claim 1", "complete 1", "complete 1"], h.Store.CallList);
        Assert.Equal(job.Id, Assert.Single(Assert.Single(h.Store.Completed)).Id);
        Assert.Equal(0, h.Slots.InUse);
        Assert.Equal(JobStatus.Pending, Assert.Single(tally.Report(null).Results).Status);
    }

    [Fact]
    public async Task An_attempt_whose_job_was_taken_over_is_reported_as_lease_lost()
    {
        using var h = new RunnerUnitHarness();
        using var pass = new PassCancellation(null, h.Time);
        var (completer, jobs) = await h.ClaimedAsync(2);
        var (kept, lost) = (jobs[0], jobs[1]);
        h.Store.TakeOver(lost.Id);
        completer.Add(Finished(h, pass, kept, succeeded: true), h.Time.GetUtcNow());
        completer.Add(Finished(h, pass, lost, succeeded: true), h.Time.GetUtcNow());
        var tally = new PassTally(10);

        Assert.True(await completer.RecordAsync(tally));

        var results = tally.Report(null).Results.ToDictionary(r => r.Id, r => r.Status);
        Assert.Equal(JobStatus.Succeeded, results[kept.Id]);
        Assert.Equal("lease_lost", results[lost.Id]);
        Assert.Equal(0, h.Slots.InUse);
    }

    private static RunningAttempt Finished(RunnerUnitHarness h, PassCancellation pass, Job job, bool succeeded)
    {
        var attempt = new RunningAttempt(job, new AttemptCancellation(pass, null, h.Time), h.Time.GetTimestamp());
        Assert.True(attempt.TryFinish());
        attempt.Result = new AttemptResult(job, new JobCompletion(job.Id, succeeded, null, succeeded ? null : "failed", succeeded ? null : TimeSpan.FromSeconds(30), 5), 5);
        return attempt;
    }
}
