using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary><c>GET admin/trigger-actions</c>: <c>{actions: [{label, route, taskType}]}</c>, the buttons the modules registered (admin auth).</summary>
public sealed class TriggerActionsEndpoint(ApiAuthenticator auth, IEnumerable<TriggerAction> actions)
{
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        return caller.Succeeded ? ApiJson.Ok(new { actions = actions.ToList() }) : caller.Failure!;
    }
}
