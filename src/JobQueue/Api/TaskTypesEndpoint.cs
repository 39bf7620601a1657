using JobQueue.Runner;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary><c>GET admin/task-types</c>: <c>{taskTypes}</c>, the registered task types in name order (admin auth).</summary>
public sealed class TaskTypesEndpoint(ApiAuthenticator auth, JobHandlerRegistry handlers)
{
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        return caller.Succeeded
            ? ApiJson.Ok(new { taskTypes = handlers.TaskTypes.Order(StringComparer.Ordinal).ToList() })
            : caller.Failure!;
    }
}
