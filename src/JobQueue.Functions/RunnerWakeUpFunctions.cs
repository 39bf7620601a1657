using JobQueue.WakeUp;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>
/// The wake-up queue's trigger (<see cref="RunnerWakeUp"/>): each message runs a draining pass, so
/// that jobs enqueued through the app start within about a second; the runner timer stays the backstop.
/// </summary>
public sealed class RunnerWakeUpFunctions(RunnerWakeUpTrigger trigger)
{
    [Function(RunnerWakeUp.FunctionName)]
    public Task WakeUp([QueueTrigger(RunnerWakeUp.QueueName, Connection = RunnerWakeUp.Connection)] string message, CancellationToken cancellationToken) =>
        trigger.RunAsync(message, cancellationToken);
}
