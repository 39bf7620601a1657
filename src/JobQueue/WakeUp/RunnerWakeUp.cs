namespace JobQueue.WakeUp;

/// <summary>
/// The Functions app's wake-up queue, declared once for the library (which sends to it) and the
/// Functions project (whose queue trigger <see cref="FunctionName"/> runs a draining pass per message).
/// </summary>
public static class RunnerWakeUp
{
    /// <summary>The Azure Storage queue (Bicep creates it; the trigger's poison queue is <c>jobqueue-wakeup-poison</c>).</summary>
    public const string QueueName = "jobqueue-wakeup";

    /// <summary>The queue-triggered function.</summary>
    public const string FunctionName = "RunnerWakeUp";

    /// <summary>The connection setting: the host's own storage account (identity-based on Azure).</summary>
    public const string Connection = "AzureWebJobsStorage";
}
