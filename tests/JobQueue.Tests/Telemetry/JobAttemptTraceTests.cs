using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Telemetry;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Telemetry;

/// <summary>
/// Every job attempt is a trace of its own from ActivitySource "JobQueue": a root consumer activity
/// with the job's id, task type, attempt and outcome as tags, error status when it failed, and a link
/// to the trace that enqueued the job; the runner's attempt events are logged inside that trace.
/// </summary>
public sealed class JobAttemptTraceTests : IAsyncLifetime
{
    private static readonly ActivitySource Caller = new("JobQueue.Tests.Caller");

    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task A_succeeded_attempt_is_a_root_consumer_activity_with_the_job_tags_linked_to_the_enqueuing_trace()
    {
        using var recorder = new ActivityRecorder(JobQueueTelemetry.Name, Caller.Name);
        await using var h = new RunnerHarness(db, [new DelegateHandler("trace_ok", (_, _, _) => Task.FromResult<object?>(new { done = true }))]);

        Guid id;
        ActivityContext enqueuedBy;
        using (var request = Caller.StartActivity("POST admin/jobs", ActivityKind.Server)!)
        {
            id = await h.Store.EnqueueAsync(new EnqueueRequest("trace_ok", MaxAttempts: 4));
            enqueuedBy = request.Context;
        }

        Assert.Equal($"00-{enqueuedBy.TraceId.ToHexString()}-{enqueuedBy.SpanId.ToHexString()}-01", (await h.Jobs.GetAsync(id))!.TraceParent);

        ActivityTraceId passTrace;
        using (var invocation = Caller.StartActivity("Runner timer")!)
        {
            passTrace = invocation.TraceId;
            Assert.Equal(1, (await h.PassAsync()).Succeeded);
            Assert.Same(invocation, Activity.Current);
        }

        var attempt = AttemptOf(recorder, id);
        Assert.Equal(ActivityKind.Consumer, attempt.Kind);
        Assert.Equal("run trace_ok", attempt.DisplayName);
        Assert.Equal(default, attempt.ParentSpanId);
        Assert.NotEqual(passTrace, attempt.TraceId);
        Assert.NotEqual(enqueuedBy.TraceId, attempt.TraceId);
        Assert.Equal("trace_ok", attempt.GetTagItem(JobAttemptActivity.TaskTypeTag));
        Assert.Equal(1, attempt.GetTagItem(JobAttemptActivity.AttemptTag));
        Assert.Equal(4, attempt.GetTagItem(JobAttemptActivity.MaxAttemptsTag));
        Assert.StartsWith("test:", (string)attempt.GetTagItem(JobAttemptActivity.RunnerIdTag)!);
        Assert.Equal(AttemptOutcome.Succeeded, attempt.GetTagItem(JobAttemptActivity.OutcomeTag));
        Assert.Equal(ActivityStatusCode.Unset, attempt.Status);
        var link = Assert.Single(attempt.Links);
        Assert.Equal(enqueuedBy.TraceId, link.Context.TraceId);
        Assert.Equal(enqueuedBy.SpanId, link.Context.SpanId);
    }

    [Fact]
    public async Task A_failed_attempt_has_error_status_an_exception_event_and_its_events_logged_in_its_trace()
    {
        using var recorder = new ActivityRecorder(JobQueueTelemetry.Name);
        var logs = new CapturingLoggerProvider();
        await using var services = db.BuildServices(
            s =>
            {
                s.AddSingleton<IJobHandler>(new DelegateHandler("trace_boom", (_, _, _) => throw new InvalidOperationException("upstream said no")));
                s.AddLogging(b => b.AddProvider(logs));
            },
            new Dictionary<string, string?> { ["Runner:Backoff:BaseSeconds"] = "0", ["Runner:Backoff:MaxSeconds"] = "0" });
        var store = services.GetRequiredService<JobQueueStore>();
        var runner = services.GetRequiredService<JobRunner>();
        var id = await store.EnqueueAsync(new EnqueueRequest("trace_boom", MaxAttempts: 2));

        await runner.RunPassAsync(new RunPassRequest());
        await runner.RunPassAsync(new RunPassRequest());

        var attempts = recorder.Stopped.Where(a => IsAttemptOf(a, id)).OrderBy(a => (int)a.GetTagItem(JobAttemptActivity.AttemptTag)!).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal([AttemptOutcome.Retry, AttemptOutcome.Failed], attempts.Select(a => (string)a.GetTagItem(JobAttemptActivity.OutcomeTag)!));
        Assert.NotEqual(attempts[0].TraceId, attempts[1].TraceId);
        Assert.Empty(attempts[0].Links); // enqueued outside any trace
        foreach (var attempt in attempts)
        {
            Assert.Equal(ActivityStatusCode.Error, attempt.Status);
            Assert.Contains("upstream said no", attempt.StatusDescription, StringComparison.Ordinal);
            Assert.Equal(typeof(InvalidOperationException).FullName, attempt.GetTagItem("error.type"));
            var exception = Assert.Single(attempt.Events, e => e.Name == "exception");
            Assert.Contains(exception.Tags, t => t.Key == "exception.type" && (string?)t.Value == typeof(InvalidOperationException).FullName);
        }

        // the runner's 1002 (retry) and 1003 (failed for good) events carry their attempt's trace id
        var lines = logs.Lines.Where(l => l.Contains($"JobId={id}", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("[1002]", StringComparison.Ordinal) && l.Contains("trace:" + attempts[0].TraceId.ToHexString(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("[1003]", StringComparison.Ordinal) && l.Contains("trace:" + attempts[1].TraceId.ToHexString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_task_type_is_snoozed_without_error_then_fails_for_good_with_the_reason()
    {
        using var recorder = new ActivityRecorder(JobQueueTelemetry.Name);
        await using (var waiting = new RunnerHarness(db, []))
        {
            var snoozed = await waiting.Store.EnqueueAsync(new EnqueueRequest("trace_nobody_handles_this"));
            await waiting.PassAsync();
            var attempt = AttemptOf(recorder, snoozed);
            Assert.Equal(AttemptOutcome.Snoozed, attempt.GetTagItem(JobAttemptActivity.OutcomeTag));
            Assert.Equal(ActivityStatusCode.Unset, attempt.Status);
        }

        await using var h = new RunnerHarness(db, [], new Dictionary<string, string?> { ["Runner:UnknownTaskTypeGraceSeconds"] = "0" });
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("trace_nobody_handles_this_either"));

        await h.PassAsync();

        var failed = AttemptOf(recorder, id);
        Assert.Equal(AttemptOutcome.Failed, failed.GetTagItem(JobAttemptActivity.OutcomeTag));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Contains("unknown task type", failed.StatusDescription, StringComparison.Ordinal);
    }

    private static bool IsAttemptOf(Activity activity, Guid jobId) =>
        activity.Source.Name == JobQueueTelemetry.Name && (string?)activity.GetTagItem(JobAttemptActivity.JobIdTag) == jobId.ToString();

    private static Activity AttemptOf(ActivityRecorder recorder, Guid jobId) => Assert.Single(recorder.Stopped, a => IsAttemptOf(a, jobId));
}
