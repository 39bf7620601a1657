using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>Invokes a timer-triggered function as the host does when its schedule fires.</summary>
public static class TimerInvocation
{
    /// <summary>
    /// Invokes <paramref name="functionName"/> with the TimerInfo JSON the host's timer binding sends
    /// (<c>{Schedule, ScheduleStatus: {Last, Next, LastUpdated}, IsPastDue}</c>) as its trigger input.
    /// </summary>
    public static Task<InvocationResponse> InvokeTimerAsync(
        this FunctionsHost host, string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var trigger = host.Function(functionName).Trigger;
        if (!trigger.Value.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{functionName} is triggered by {trigger.Value.Type}, not by a timer", nameof(functionName));
        }

        var now = DateTime.UtcNow;
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now.AddMinutes(-1), Next = now.AddMinutes(1), LastUpdated = now },
            IsPastDue = isPastDue,
        });
        return host.InvokeAsync(
            functionName, [new ParameterBinding { Name = trigger.Key, Data = new TypedData { Json = timerInfo } }],
            cancellationToken: cancellationToken);
    }
}
