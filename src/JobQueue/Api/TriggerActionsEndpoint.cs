using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary><c>GET admin/trigger-actions</c>: <c>{actions: [{label, route, taskType}]}</c>, the buttons the modules registered (admin auth).</summary>
public sealed class TriggerActionsEndpoint(IEnumerable<TriggerAction> actions)
{
    public IResult List() => ApiJson.Ok(new TriggerActionsResponse(actions.ToList()));
}

/// <summary><c>GET admin/trigger-actions</c>: the dashboard's trigger buttons.</summary>
public sealed record TriggerActionsResponse(IReadOnlyList<TriggerAction> Actions);
