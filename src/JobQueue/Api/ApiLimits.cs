namespace JobQueue.Api;

/// <summary>Bounds on every input the API accepts.</summary>
public static class ApiLimits
{
    /// <summary>Largest request body read (bytes); larger bodies get 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Largest job payload (bytes of JSON).</summary>
    public const int MaxPayloadBytes = 32 * 1024;

    /// <summary>Deepest JSON nesting accepted in a body.</summary>
    public const int MaxJsonDepth = 32;

    public const int MaxTaskTypeLength = 100;
    public const int MaxDedupeKeyLength = 200;
    public const int MaxReasonLength = 500;
    public const int MaxCoachIdLength = 100;
    public const int MaxRequestIdLength = 200;
    public const int MaxListLimit = 500;
    public const int MaxRunLimit = 1000;

    /// <summary>Job priorities: higher runs first; 0 is the default.</summary>
    public const int MinPriority = -100;

    public const int MaxPriority = 100;

    public const int MaxPartitionKeyLength = 200;
}
