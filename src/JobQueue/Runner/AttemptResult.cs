using System.Diagnostics;
using JobQueue.Queue;

namespace JobQueue.Runner;

/// <summary>What the executor made of one attempt (<see cref="IJobExecutor"/>), as the completer records it; <see cref="Activity"/> is the attempt's trace, ended once it is recorded.</summary>
internal sealed record AttemptResult(Job Job, JobCompletion Completion, long DurationMs, Activity? Activity = null);
