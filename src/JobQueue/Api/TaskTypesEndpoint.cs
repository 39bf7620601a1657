using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary><c>GET admin/task-types</c>: <c>{taskTypes}</c>, the registered task types in name order (admin auth).</summary>
public sealed class TaskTypesEndpoint(JobHandlerRegistry handlers)
{
    public IResult Get() => ApiJson.Ok(new TaskTypesResponse(handlers.TaskTypes.Order(StringComparer.Ordinal).ToList()));
}

/// <summary>The registered task types, in name order.</summary>
public sealed record TaskTypesResponse(IReadOnlyList<string> TaskTypes);
