using JobQueue.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Functions;

/// <summary>
/// The Functions side of <see cref="DatabaseOutageGuard"/>: an HTTP function that fails because the
/// database is unavailable answers the library's 503 (Retry-After, problem+json) instead of a 500
/// with an unhandled-exception log line, exactly as the server does. Registered after the ASP.NET Core
/// integration, whose middleware then executes the returned result.
/// </summary>
public sealed class DatabaseOutageMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http
                                  && context.InstanceServices.GetRequiredService<DatabaseOutageGuard>().TryHandle(e, http, out var unavailable))
        {
            context.GetInvocationResult().Value = unavailable;
        }
    }
}
