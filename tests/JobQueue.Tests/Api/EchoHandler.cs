using JobQueue.Runner;

namespace JobQueue.Tests.Api;

public sealed class EchoPayload
{
    public int Count { get; set; } = 1;

    public bool Fail { get; set; }
}

/// <summary>A test task type: echoes its count, or fails (retryable) when asked to.</summary>
public sealed class EchoHandler : JobHandler<EchoPayload>
{
    public const string Name = "test_echo";

    public override string TaskType => Name;

    protected override IEnumerable<PayloadError> Validate(EchoPayload payload)
    {
        if (payload.Count is < 0 or > 10)
        {
            yield return new PayloadError("count", "must be between 0 and 10");
        }
    }

    protected override Task<object?> HandleAsync(EchoPayload payload, JobContext context, CancellationToken cancellationToken) =>
        payload.Fail ? throw new InvalidOperationException("asked to fail") : Task.FromResult<object?>(new { echoed = payload.Count });
}
