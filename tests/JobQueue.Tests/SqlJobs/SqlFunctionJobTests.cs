using System.Text.Json;
using JobQueue.SqlJobs;
using JobQueue.Tests.Api;
using JobQueue.Tests.HttpJobs;

namespace JobQueue.Tests.SqlJobs;

/// <summary>
/// <c>sql_function</c> jobs on the server app against real functions in the test database: named
/// arguments, results, the statement timeout, and the allow-list at enqueue and at run time.
/// </summary>
public sealed class SqlFunctionJobTests : IAsyncLifetime
{
    private readonly HttpJobsFixture fixture = new(new Dictionary<string, string?>
    {
        ["SqlJobs:AllowedFunctions"] = "public.sqljob_add, sqljob_rows;public.sqljob_sleep public.sqljob_echo public.sqljob_missing not-an-identifier",
    });

    public async Task InitializeAsync()
    {
        await fixture.InitializeAsync();
        await fixture.Db.ExecuteAsync("""
            CREATE TABLE public.sqljob_calls (fn text, at timestamptz DEFAULT clock_timestamp());
            CREATE FUNCTION public.sqljob_add(a integer, b integer DEFAULT 10) RETURNS integer
              LANGUAGE sql SECURITY DEFINER AS $$ INSERT INTO public.sqljob_calls (fn) VALUES ('add'); SELECT a + b $$;
            CREATE FUNCTION public.sqljob_rows(n integer, label text) RETURNS TABLE (i integer, label text)
              LANGUAGE sql AS $$ SELECT g, $2 || g FROM generate_series(1, n) g $$;
            CREATE FUNCTION public.sqljob_sleep(seconds double precision) RETURNS void
              LANGUAGE sql AS $$ SELECT pg_sleep(seconds) $$;
            CREATE FUNCTION public.sqljob_secret() RETURNS integer
              LANGUAGE sql SECURITY DEFINER AS $$ INSERT INTO public.sqljob_calls (fn) VALUES ('secret'); SELECT 1 $$;
            CREATE FUNCTION public.sqljob_echo(doc jsonb, flag boolean, note text DEFAULT NULL) RETURNS jsonb
              LANGUAGE sql AS $$ SELECT jsonb_build_object('doc', doc, 'flag', flag, 'note', note) $$;
            GRANT EXECUTE ON FUNCTION public.sqljob_add(integer, integer), public.sqljob_rows(integer, text),
              public.sqljob_sleep(double precision), public.sqljob_secret(), public.sqljob_echo(jsonb, boolean, text) TO jobqueue_app;
            """);
    }

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task An_allowed_function_runs_with_named_arguments_and_its_result_is_the_output()
    {
        var add = await fixture.EnqueueAsync("sql_function", new { function = "public.sqljob_add", args = new { a = 5, b = 7 } });
        var defaults = await fixture.EnqueueAsync("sql_function", new { function = "sqljob_add", args = new { a = 1 } });
        var rows = await fixture.EnqueueAsync("sql_function", new { function = "public.sqljob_rows", args = new { label = "row-", n = 3 } });
        var echo = await fixture.EnqueueAsync("sql_function", new
        {
            function = "public.sqljob_echo",
            args = new { doc = new { nested = new[] { 1, 2 } }, flag = true, note = (string?)null },
        });

        await fixture.RunAsync();

        Assert.Equal(12, Output(await fixture.JobAsync(add)).GetProperty("result").GetInt32());
        Assert.Equal(11, Output(await fixture.JobAsync(defaults)).GetProperty("result").GetInt32());
        var set = Output(await fixture.JobAsync(rows));
        Assert.Equal(3, set.GetProperty("rowCount").GetInt32());
        Assert.Equal("row-2", set.GetProperty("result")[1].GetProperty("label").GetString());
        var doc = Output(await fixture.JobAsync(echo)).GetProperty("result");
        Assert.Equal(2, doc.GetProperty("doc").GetProperty("nested")[1].GetInt32());
        Assert.True(doc.GetProperty("flag").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("note").ValueKind);
        Assert.Equal("public.sqljob_add", Output(await fixture.JobAsync(add)).GetProperty("function").GetString());
    }

    [Fact]
    public async Task The_statement_timeout_ends_a_slow_call_and_the_job_is_retried_later()
    {
        var id = await fixture.EnqueueAsync("sql_function", new { function = "public.sqljob_sleep", args = new { seconds = 30 }, timeoutSeconds = 1 });
        var started = DateTimeOffset.UtcNow;

        await fixture.RunAsync();

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(25), "the call should have been cut by its 1 s statement timeout");
        var job = await fixture.JobAsync(id);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Contains("statement timeout after 1 s", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_outside_the_allow_list_is_refused_at_enqueue_and_never_called_at_run_time()
    {
        var before = await fixture.Api.SnapshotAsync();
        foreach (var function in new[] { "public.sqljob_secret", "sqljob_secret", "pg_catalog.pg_terminate_backend", "public.sqljob_add; DROP TABLE x", "not-an-identifier" })
        {
            var body = JsonSerializer.Serialize(new { taskType = "sql_function", payload = new { function } });
            var problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty("payload.function", out var reason), problem.ToString());
            Assert.Contains("SqlJobs:AllowedFunctions", reason[0].GetString(), StringComparison.Ordinal);
        }

        var badArgument = JsonSerializer.Serialize(new
        {
            taskType = "sql_function",
            payload = new { function = "public.sqljob_add", args = new Dictionary<string, int> { ["a\" => 1); DROP TABLE x; --"] = 1 } },
        });
        var argProblem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", badArgument, Credentials.Admin, 400);
        Assert.Contains(argProblem.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith("payload.args.", StringComparison.Ordinal));
        Assert.Equal(before, await fixture.Api.SnapshotAsync());

        var id = await fixture.Db.ScalarAsync<Guid>("SELECT job_queue_enqueue('sql_function', '{\"function\":\"public.sqljob_secret\"}'::jsonb, now(), 5)");
        await fixture.RunAsync();
        var job = await fixture.JobAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Contains("not in SqlJobs:AllowedFunctions", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM public.sqljob_calls WHERE fn = 'secret'"));
    }

    [Fact]
    public async Task Errors_the_call_itself_causes_fail_the_job_for_good()
    {
        var missing = await fixture.EnqueueAsync("sql_function", new { function = "public.sqljob_missing" }, maxAttempts: 5);
        var wrongType = await fixture.EnqueueAsync("sql_function", new { function = "public.sqljob_add", args = new { a = "seven" } }, maxAttempts: 5);

        await fixture.RunAsync();

        var gone = await fixture.JobAsync(missing);
        Assert.Equal("failed", gone.GetProperty("status").GetString());
        Assert.Contains("42883", gone.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var typed = await fixture.JobAsync(wrongType);
        Assert.Equal("failed", typed.GetProperty("status").GetString());
        Assert.Contains("22P02", typed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_identifiers_only_and_always_quoted()
    {
        Assert.Equal("\"public\".\"sqljob_add\"", SqlFunctionName.Parse("sqljob_add")!.Quoted);
        Assert.Equal("\"stats\".\"Update_X1\"", SqlFunctionName.Parse("stats.Update_X1")!.Quoted);
        Assert.Null(SqlFunctionName.Parse("a.b.c"));
        Assert.Null(SqlFunctionName.Parse("x\"; drop"));
        Assert.Null(SqlFunctionName.Parse("1abc"));
        Assert.Null(SqlFunctionName.Parse(new string('a', 64)));
        Assert.Throws<ArgumentException>(() => SqlFunctionName.QuoteIdentifier("a\"b"));
    }

    private static JsonElement Output(JsonElement job) =>
        job.GetProperty("status").GetString() == "succeeded" ? job.GetProperty("output") : throw new InvalidOperationException(job.ToString());
}
