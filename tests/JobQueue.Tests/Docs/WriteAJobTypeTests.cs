using System.Text.Json;
using System.Text.RegularExpressions;
using JobQueue.Runner;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Docs;

/// <summary>
/// The README's "Write a job type": its C# is the code of WriteAJobTypeExample.cs (so it
/// compiles), and the handler runs as the README says: enqueued over HTTP and SQL with the README's own
/// body and statement, snoozed without using an attempt, retried after an exception, output stored.
/// </summary>
public sealed partial class WriteAJobTypeTests : IAsyncLifetime
{
    private static readonly string ReadmePath = Path.Combine(LocalPostgres.RepoRoot, "README.md");
    private static readonly string ExamplePath = Path.Combine(LocalPostgres.RepoRoot, "tests", "JobQueue.Tests", "Docs", "WriteAJobTypeExample.cs");

    private readonly FakeMailer mailer = new();
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        api = await ApiTestServer.StartAsync(db, services => services.AddJobHandler<WelcomeEmailHandler>().AddSingleton<IMailer>(mailer));
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public void The_readme_shows_the_compiled_example_line_for_line()
    {
        var readme = Section(File.ReadAllText(ReadmePath));
        var readmeCode = Lines(string.Join("\n", CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value)));
        var example = File.ReadAllText(ExamplePath);
        var exampleCode = Lines(string.Join("\n", ExampleRegion().Matches(example).Select(m => m.Groups[1].Value)));
        Assert.NotEmpty(exampleCode);
        Assert.Equal(exampleCode, readmeCode);
    }

    [Fact]
    public async Task Enqueued_over_http_it_snoozes_then_succeeds_with_its_output()
    {
        var body = HttpBody(Section(File.ReadAllText(ReadmePath)));
        mailer.Ready = false;
        var created = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 201);
        var id = created.GetProperty("jobId").GetGuid();

        await PassAsync();
        Assert.Equal(("pending", 0), await StatusAsync(id));
        Assert.Equal("snoozed", await db.ScalarAsync<string>("SELECT outcome FROM job_queue_attempts WHERE job_id = $1", id));

        mailer.Ready = true;
        await db.ExecuteAsync("UPDATE job_queue SET run_at = now() WHERE id = $1", id);
        await PassAsync();
        Assert.Equal(("succeeded", 1), await StatusAsync(id));
        var output = await db.ScalarAsync<string>("SELECT output::text FROM job_queue WHERE id = $1", id);
        Assert.Equal("msg-1", JsonDocument.Parse(output).RootElement.GetProperty("messageId").GetString());
        Assert.Equal(("ada@example.com", "Welcome, Ada!"), mailer.Sent.Single());
    }

    [Fact]
    public async Task Enqueued_over_sql_an_exception_is_retried_with_backoff()
    {
        var sql = SqlStatement(Section(File.ReadAllText(ReadmePath)));
        var id = await db.AppScalarAsync<Guid>(sql);
        mailer.Fail = true;

        await PassAsync();
        Assert.Equal(("pending", 1), await StatusAsync(id));
        Assert.Contains("mail server down", await db.ScalarAsync<string>("SELECT last_error FROM job_queue WHERE id = $1", id));
        Assert.True(await db.ScalarAsync<bool>("SELECT run_at > now() FROM job_queue WHERE id = $1", id), "the retry waits for its backoff");
    }

    [Fact]
    public async Task A_payload_the_handler_refuses_is_a_400_naming_the_field_and_nothing_is_enqueued()
    {
        var before = await api.SnapshotAsync();
        var problem = await api.JsonAsync(
            HttpMethod.Post, "/api/admin/jobs", """{"taskType":"welcome_email","payload":{"email":"not-an-address"}}""", Credentials.Admin, 400);
        Assert.Contains("email", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("must be an email address", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    private Task<RunnerReport> PassAsync() => api.Services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(Limit: 10));

    private async Task<(string Status, int Attempts)> StatusAsync(Guid id) =>
        (await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id),
         await db.ScalarAsync<int>("SELECT attempts FROM job_queue WHERE id = $1", id));

    /// <summary>The README's "Write a job type" section, up to the next section.</summary>
    private static string Section(string readme)
    {
        var start = readme.IndexOf("\n## Write a job type", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no \"## Write a job type\" section");
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    /// <summary>The JSON body of the section's curl command (<c>-d '...'</c>).</summary>
    private static string HttpBody(string section)
    {
        var match = CurlBody().Match(section);
        Assert.True(match.Success, "the section has no curl -d '{...}' command");
        return match.Groups[1].Value;
    }

    /// <summary>The section's SQL statement (the <c>sql</c> block).</summary>
    private static string SqlStatement(string section)
    {
        var match = SqlBlock().Match(section);
        Assert.True(match.Success, "the section has no sql block");
        return match.Groups[1].Value.Trim().TrimEnd(';');
    }

    private static List<string> Lines(string code) =>
        code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"// README example: begin\n(.*?)// README example: end", RegexOptions.Singleline)]
    private static partial Regex ExampleRegion();

    [GeneratedRegex(@"-d '(\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex CurlBody();

    [GeneratedRegex(@"```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    /// <summary>A mailer the test steers: not ready (snooze), failing (retry), or sending.</summary>
    private sealed class FakeMailer : IMailer
    {
        public bool Ready { get; set; } = true;

        public bool Fail { get; set; }

        public List<(string To, string Subject)> Sent { get; } = [];

        public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(Ready);

        public Task<string> SendAsync(string to, string subject, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("mail server down");
            }

            Sent.Add((to, subject));
            return Task.FromResult($"msg-{Sent.Count}");
        }
    }
}
