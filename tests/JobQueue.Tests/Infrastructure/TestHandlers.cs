using JobQueue.Runner;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Payload of the test handlers: typed fields so that a wrong type is an invalid payload.</summary>
public sealed class TestPayload
{
    public int? Count { get; set; }

    public string? Name { get; set; }
}

/// <summary>A handler whose behaviour each test supplies.</summary>
public sealed class DelegateHandler(string taskType, Func<TestPayload, JobContext, CancellationToken, Task<object?>> run)
    : JobHandler<TestPayload>
{
    public override string TaskType => taskType;

    protected override IEnumerable<PayloadError> Validate(TestPayload payload)
    {
        if (payload.Count is < 0)
        {
            yield return new PayloadError("count", "must not be negative");
        }
    }

    protected override Task<object?> HandleAsync(TestPayload payload, JobContext context, CancellationToken cancellationToken) =>
        run(payload, context, cancellationToken);
}
