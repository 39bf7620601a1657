using System.Text;
using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using static JobQueue.Tests.Infrastructure.HttpReceiver;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// A receiver that echoes the secret header back, plain and encoded (base64 and base64url, also inside a
/// longer base64 text, URL-encoded, hex in both cases, reversed, JSON-escaped): by default a job keeps the
/// response's status, duration, size and SHA-256 only; with <c>keepBody: true</c> the body, redacted. No
/// form of the secret reaches the job's output, its error, its attempt rows, the job list or a log
/// line, on success, on a final 4xx or on a retried 5xx.
/// </summary>
public sealed class SecretEchoTests(HttpJobsFixture fixture) : IClassFixture<HttpJobsFixture>
{
    private static readonly string[] Forms = ["", "base64", "base64url", "base64at1", "base64at2", "url", "hex", "hexlower", "reversed", "json"];

    private static readonly string EchoBody =
        "{" + string.Join(",", Forms.Select(f => $"\"{(f.Length == 0 ? "plain" : f)}\":\"{{header:Authorization{(f.Length == 0 ? "" : "|" + f)}}}\"")) + "}";

    private HttpReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task By_default_only_the_size_and_hash_of_an_echoing_response_are_kept()
    {
        var path = NewPath("echo");
        Receiver.Default(path, new Reply(200, EchoBody));
        var id = await EnqueueAsync(path, keepBody: null);

        await fixture.RunAsync();

        var received = Assert.Single(Receiver.Requests(path));
        Assert.Equal("Bearer " + HttpJobsFixture.EchoSecretValue, received.Header("Authorization"));
        var job = await fixture.JobAsync(id);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var output = job.GetProperty("output");
        Assert.False(output.TryGetProperty("body", out _), output.ToString());
        Assert.False(output.GetProperty("bodyKept").GetBoolean());
        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.True(output.GetProperty("bodyBytes").GetInt64() > 200);
        Assert.Matches("^[0-9a-f]{64}$", output.GetProperty("bodySha256").GetString());
        await AssertNoFormAnywhereAsync(id, job);
    }

    [Fact]
    public async Task With_keepBody_the_body_is_kept_and_every_form_of_the_secret_is_redacted()
    {
        var path = NewPath("echo-kept");
        Receiver.Default(path, new Reply(200, EchoBody));
        var id = await EnqueueAsync(path, keepBody: true);

        await fixture.RunAsync();

        var job = await fixture.JobAsync(id);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var body = job.GetProperty("output").GetProperty("body").GetString()!;
        Assert.StartsWith("{\"plain\":\"[redacted]\",", body, StringComparison.Ordinal);
        Assert.True(body.Split("[redacted]").Length > Forms.Length, body);
        await AssertNoFormAnywhereAsync(id, job);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(null)]
    public async Task A_final_4xx_that_echoes_the_secret_carries_no_form_of_it_in_its_error(bool? keepBody)
    {
        var path = NewPath("echo-404");
        Receiver.Default(path, new Reply(404, EchoBody));
        var id = await EnqueueAsync(path, keepBody);

        await fixture.RunAsync();

        var job = await fixture.JobAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        var error = job.GetProperty("lastError").GetString()!;
        Assert.Contains("HTTP 404", error, StringComparison.Ordinal);
        Assert.Contains(keepBody == true ? "[redacted]" : "not kept", error, StringComparison.Ordinal);
        await AssertNoFormAnywhereAsync(id, job);
    }

    [Fact]
    public async Task A_retried_5xx_that_echoes_the_secret_leaves_no_form_of_it_in_the_attempt_rows()
    {
        var path = NewPath("echo-500");
        Receiver.Default(path, new Reply(500, EchoBody));
        var id = await EnqueueAsync(path, keepBody: true);

        await fixture.RunAsync();

        Assert.Equal(3, Receiver.Requests(path).Count);
        var job = await fixture.JobAsync(id);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Contains("[redacted]", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", await fixture.Db.ScalarAsync<string>("SELECT string_agg(error, '|') FROM job_queue_attempts WHERE job_id = $1", id),
            StringComparison.Ordinal);
        await AssertNoFormAnywhereAsync(id, job);
    }

    private Task<Guid> EnqueueAsync(string path, bool? keepBody) => fixture.EnqueueAsync("http_request", new
    {
        url = Receiver.Url(path),
        method = "GET",
        headers = new { Authorization = new { secret = HttpJobsFixture.EchoSecretName, format = "Bearer {0}" } },
        keepBody,
    });

    /// <summary>The secret and the header value in every form, in the job (as the API returns it, and decoded), the list, the rows and the logs.</summary>
    private async Task AssertNoFormAnywhereAsync(Guid id, JsonElement job)
    {
        using var list = await fixture.Api.SendAsync(HttpMethod.Get, "/api/admin/jobs?taskType=http_request&limit=500", null, Credentials.Admin);
        var listText = await list.Content.ReadAsStringAsync();
        var texts = new[]
        {
            job.GetRawText(), Decoded(job), listText, Decoded(JsonDocument.Parse(listText).RootElement), await fixture.RowsAsync(id),
            string.Join("\n", fixture.Logs.Lines),
        };
        foreach (var value in new[] { HttpJobsFixture.EchoSecretValue, "Bearer " + HttpJobsFixture.EchoSecretValue })
        {
            foreach (var form in Forms)
            {
                var encoded = Encode(value, form);
                // base64 inside a longer text: its first and last characters also carry what surrounds the value
                var core = form.StartsWith("base64", StringComparison.Ordinal) ? encoded[4..^4] : encoded;
                Assert.All(texts, text => Assert.DoesNotContain(core, text, StringComparison.Ordinal));
            }
        }
    }

    /// <summary>Every string and property name of a JSON document, unescaped.</summary>
    private static string Decoded(JsonElement element)
    {
        var text = new StringBuilder();
        Collect(element);
        return text.ToString();

        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        text.Append(p.Name).Append('\n');
                        Collect(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
                case JsonValueKind.String:
                    text.Append(e.GetString()).Append('\n');
                    break;
            }
        }
    }
}
