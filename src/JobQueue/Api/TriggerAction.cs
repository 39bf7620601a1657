namespace JobQueue.Api;

/// <summary>
/// A dashboard button a module contributes: a label, the admin route it POSTs to (without <c>/api/</c>)
/// and the task type it enqueues. Listed by <c>GET admin/trigger-actions</c>.
/// </summary>
public sealed record TriggerAction(string Label, string Route, string TaskType);
