using JobQueue.Runner;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Docs;

// The README's "Write a job type" example, compiled with the tests and run by WriteAJobTypeTests: the
// code between the "README example" markers must appear in the README's C# blocks line for line.

/// <summary>The team's own service the example's handler uses (any class from DI).</summary>
public interface IMailer
{
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    Task<string> SendAsync(string to, string subject, CancellationToken cancellationToken);
}

// README example: begin
// the payload: the job's JSON, camelCase ({"email": "...", "name": "..."})
public sealed record WelcomeEmail
{
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
}

// the handler of one task type; what it returns is stored as the job's output
public sealed class WelcomeEmailHandler(IMailer mailer) : JobHandler<WelcomeEmail>
{
    public override string TaskType => "welcome_email";

    // checked when the job is enqueued (400 naming the field) and again before each attempt
    protected override IEnumerable<PayloadError> Validate(WelcomeEmail payload) =>
        payload.Email.Contains('@') ? [] : [new PayloadError("email", "must be an email address")];

    protected override async Task<object?> HandleAsync(WelcomeEmail payload, JobContext context, CancellationToken cancellationToken)
    {
        if (!await mailer.IsReadyAsync(cancellationToken))
        {
            throw context.Snooze(TimeSpan.FromMinutes(1), "mailer not ready"); // runs again in 1 min, no attempt used
        }

        // an exception fails this attempt: retried with backoff until maxAttempts, then failed for good
        var messageId = await mailer.SendAsync(payload.Email, $"Welcome, {payload.Name}!", cancellationToken);
        return new { messageId };
    }
}
// README example: end

/// <summary>The example's registration line, compiled here (the test host registers the handler the same way).</summary>
public static class WelcomeEmailRegistration
{
    public static void Register(WebApplicationBuilder builder)
    {
        // README example: begin
        builder.Services.AddJobQueue(builder.Configuration).AddJobHandler<WelcomeEmailHandler>();
        // README example: end
    }
}
