using System.Diagnostics;

namespace JobQueue.Telemetry;

/// <summary>
/// The W3C <c>traceparent</c> of the trace that enqueues a job (stored on the job, so that its
/// attempts' traces link back to the request that asked for it).
/// </summary>
public static class W3CTraceParent
{
    /// <summary>The current activity's traceparent (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>), or null outside a W3C trace.</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;

    /// <summary>The trace context of a stored traceparent; false when there is none or it is malformed.</summary>
    public static bool TryParse(string? traceParent, out ActivityContext context)
    {
        context = default;
        return !string.IsNullOrEmpty(traceParent)
               && ActivityContext.TryParse(traceParent, null, isRemote: true, out context);
    }
}
