using JobQueue.Tests.Infrastructure;
using System.Text.Json.Nodes;
using JobQueue.PgNet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.PgNet;

/// <summary>pg_net commands in the shapes found in pg_cron, read and turned into http_request payloads.</summary>
public sealed class PgNetConverterTests : IAsyncLifetime
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLWZvci10ZXN0";

    private readonly ServiceProvider services;
    private readonly PgNetConverter converter;

    public PgNetConverterTests()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HttpJobs:AllowedHosts"] = "abcd.supabase.co",
            ["HttpJobs:SecretDestinations:service-role-key"] = "https://abcd.supabase.co/functions/v1/",
            ["HttpJobs:SecretDestinations:notification-worker-authorization"] = "https://abcd.supabase.co/functions/v1/",
            ["HttpJobs:SecretDestinations:anon-key"] = "abcd.supabase.co",
            ["HttpJobs:SecretDestinations:app-settings-anon-key"] = "abcd.supabase.co",
            // the handlers' data source is built, never opened
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=unused",
        }).Build();
        services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddJobQueueWithEveryModule(config).BuildServiceProvider();
        converter = services.GetRequiredService<PgNetConverter>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => services.DisposeAsync().AsTask();

    [Fact]
    public void Named_arguments_with_a_get_secret_header_a_built_body_and_a_timeout()
    {
        var conversion = converter.Convert("daily-invoices", """
            SELECT net.http_post(
              url := 'https://abcd.supabase.co/functions/v1/daily-invoices',
              headers := jsonb_build_object('Content-Type', 'application/json',
                                            'Authorization', 'Bearer ' || public.get_secret('service_role_key')),
              body := jsonb_build_object('kind', 'daily', 'dryRun', false, 'batch', 50),
              timeout_milliseconds := 25500
            ) AS request_id;
            """, PgNetOverrides.None);

        Assert.True(conversion.Convertible, string.Join("; ", conversion.Problems));
        var expected = JsonNode.Parse("""
            {"method":"POST","url":"https://abcd.supabase.co/functions/v1/daily-invoices",
             "headers":{"Content-Type":"application/json","Authorization":{"secret":"service-role-key","format":"Bearer {0}"}},
             "body":{"kind":"daily","dryRun":false,"batch":50},"timeoutSeconds":26}
            """);
        Assert.True(JsonNode.DeepEquals(expected, conversion.Payload), conversion.Payload!.ToJsonString());
        var secret = Assert.Single(conversion.Secrets);
        Assert.Equal(("Authorization", "service-role-key", false), (secret.Header, secret.Secret, secret.Literal));
        Assert.Equal("public.get_secret('service_role_key')", secret.Source);
    }

    [Fact]
    public void A_literal_key_in_a_jsonb_constant_is_replaced_by_a_secret_reference_and_flagged()
    {
        var conversion = converter.Convert("notification-worker", $"""
            select net.http_post(url:='https://abcd.supabase.co/functions/v1/notification-worker',
              headers:='{"{"}"Content-Type": "application/json", "Authorization": "Bearer {Jwt}"{"}"}'::jsonb,
              body:=jsonb_build_object('limit', 5, 'runs', 1), timeout_milliseconds:=5000);
            """, PgNetOverrides.None);

        Assert.True(conversion.Convertible, string.Join("; ", conversion.Problems));
        var secret = Assert.Single(conversion.Secrets);
        Assert.True(secret.Literal);
        Assert.Equal("notification-worker-authorization", secret.Secret);
        Assert.Equal("{\"secret\":\"notification-worker-authorization\",\"format\":\"Bearer {0}\"}", conversion.Payload!["headers"]!["Authorization"]!.ToJsonString());
        Assert.Equal("{\"limit\":5,\"runs\":1}", conversion.Payload["body"]!.ToJsonString());
        Assert.Equal(5, (int)conversion.Payload["timeoutSeconds"]!);
        Assert.DoesNotContain(Jwt, conversion.Payload.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(conversion.Secrets, s => (s.Note ?? "").Contains(Jwt, StringComparison.Ordinal));

        var named = converter.Convert("notification-worker", $"select net.http_post(url:='https://abcd.supabase.co/x', headers:=jsonb_build_object('apikey', '{Jwt}'))",
            new PgNetOverrides(SecretNames: new Dictionary<string, string> { ["apikey"] = "anon-key" }));
        Assert.Equal("{\"secret\":\"anon-key\"}", named.Payload!["headers"]!["apikey"]!.ToJsonString());
    }

    [Fact]
    public void Http_get_with_params_a_vault_lookup_and_positional_arguments()
    {
        var get = converter.Convert("escalations", """
            select
              net.http_get(
                url := 'https://abcd.supabase.co/functions/v1/escalations',
                params := jsonb_build_object('hour', '02', 'dry run', true),
                headers := jsonb_build_object('Authorization', concat('Bearer ', (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key' limit 1)))
              ) as request_id
            """, PgNetOverrides.None);
        Assert.True(get.Convertible, string.Join("; ", get.Problems));
        Assert.Equal("GET", (string)get.Payload!["method"]!);
        Assert.Equal("https://abcd.supabase.co/functions/v1/escalations?hour=02&dry%20run=true", (string)get.Payload["url"]!);
        Assert.Equal("vault.decrypted_secrets('service_role_key')", Assert.Single(get.Secrets).Source);

        var positional = converter.Convert("monthly", """
            -- monthly invoices; the endpoint decides the day
            SELECT net.http_post('https://abcd.supabase.co/functions/v1/monthly-invoices', '{"scope":"month"}'::jsonb, '{}'::jsonb,
                                 jsonb_build_object('apikey', current_setting('app.settings.anon_key')), 10000);
            """, PgNetOverrides.None);
        Assert.True(positional.Convertible, string.Join("; ", positional.Problems));
        Assert.Equal("{\"secret\":\"app-settings-anon-key\"}", positional.Payload!["headers"]!["apikey"]!.ToJsonString());
        Assert.Equal("{\"scope\":\"month\"}", positional.Payload["body"]!.ToJsonString());
        Assert.Equal(10, (int)positional.Payload["timeoutSeconds"]!);

        var quoted = converter.Convert("zoom", "PERFORM net.http_post(url => $u$https://abcd.supabase.co/functions/v1/zoom-scheduler$u$, body => E'{\"note\": \"it\\'s\"}'::jsonb)", PgNetOverrides.None);
        Assert.True(quoted.Convertible, string.Join("; ", quoted.Problems));
        Assert.Equal("it's", (string)quoted.Payload!["body"]!["note"]!);
    }

    [Fact]
    public void What_is_known_only_when_the_command_runs_keeps_a_job_from_being_converted()
    {
        var computedUrl = converter.Convert("monthly", """
            select net.http_post(url := current_setting('app.settings.supabase_url') || '/functions/v1/monthly', body := '{}'::jsonb)
            """, PgNetOverrides.None);
        Assert.False(computedUrl.Convertible);
        Assert.Contains(computedUrl.Problems, p => p.Field == "url");
        var withUrl = converter.Convert("monthly", """
            select net.http_post(url := current_setting('app.settings.supabase_url') || '/functions/v1/monthly', body := '{}'::jsonb)
            """, new PgNetOverrides(Url: "https://abcd.supabase.co/functions/v1/monthly"));
        Assert.True(withUrl.Convertible, string.Join("; ", withUrl.Problems));

        var dynamicBody = converter.Convert("x", "select net.http_post(url := 'https://abcd.supabase.co/x', body := jsonb_build_object('at', now()))", PgNetOverrides.None);
        Assert.Contains(dynamicBody.Problems, p => p.Reason.Contains("now(...) is computed when the command runs", StringComparison.Ordinal));

        var secretBody = converter.Convert("x", "select net.http_post(url := 'https://abcd.supabase.co/x', body := jsonb_build_object('key', public.get_secret('k')))", PgNetOverrides.None);
        Assert.Contains(secretBody.Problems, p => p.Field == "body");

        var literalKeyBody = converter.Convert("x", $"select net.http_post(url := 'https://abcd.supabase.co/x', body := jsonb_build_object('token', '{Jwt}'))", PgNetOverrides.None);
        Assert.Contains(literalKeyBody.Problems, p => p.Field == "body");
        Assert.All(literalKeyBody.Problems, p => Assert.DoesNotContain(Jwt, p.Reason, StringComparison.Ordinal));

        var twoCalls = converter.Convert("x", $"select net.http_post(url := 'https://abcd.supabase.co/x'); select '{Jwt}'", PgNetOverrides.None);
        Assert.Contains(twoCalls.Problems, p => p.Field == "command");
        Assert.All(twoCalls.Problems, p => Assert.DoesNotContain(Jwt, p.Reason, StringComparison.Ordinal));

        var notAllowed = converter.Convert("x", "select net.http_post(url := 'https://hooks.example.com/x')", PgNetOverrides.None);
        Assert.Contains(notAllowed.Problems, p => p.Field == "payload.url");

        var unreadable = converter.Convert("x", "select net.http_post(url := 'https://abcd.supabase.co/x", PgNetOverrides.None);
        Assert.Contains(unreadable.Problems, p => p.Field == "command" && p.Reason.Contains("unterminated", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_sent_outside_its_destinations_keeps_the_job_from_being_converted()
    {
        var outside = converter.Convert("x", """
            select net.http_post(url := 'https://abcd.supabase.co/rest/v1/rpc/x',
              headers := jsonb_build_object('Authorization', 'Bearer ' || public.get_secret('service_role_key')))
            """, PgNetOverrides.None);

        Assert.False(outside.Convertible);
        Assert.Contains(outside.Problems, p => p.Field == "payload.headers.Authorization"
                                               && p.Reason.Contains("HttpJobs:SecretDestinations:service-role-key", StringComparison.Ordinal));
        var summary = PgNetCallSummary.Of(outside);
        Assert.Equal("https://abcd.supabase.co/rest/v1/rpc/x", summary.Url);
        Assert.Equal(new[] { "Authorization" }, summary.HeaderNames);
    }

    [Theory]
    [InlineData("SELECT net.http_post(url := 'https://x/y')", true)]
    [InlineData("select NET.HTTP_GET('https://x') as request_id;", true)]
    [InlineData("PERFORM net.http_post(url => 'https://x', body => '{}'::jsonb) r;;", true)]
    [InlineData("-- every minute\nselect \"net\".\"http_post\"(url := 'https://x/(', body := jsonb_build_object('n', 5 / 2))", true)]
    [InlineData("-- select net.http_post('https://x')\nSELECT 1", false)]
    [InlineData("/* SELECT net.http_post('https://x') */ DELETE FROM accounts", false)]
    [InlineData("/* /* nested */ SELECT net.http_post('https://x') */ SELECT 1", false)]
    [InlineData("SELECT 'net.http_post(' || 'x'", false)]
    [InlineData("SELECT net.http_post(url := 'https://x'); DELETE FROM accounts", false)]
    [InlineData("SELECT net.http_post(url := 'https://x'), pg_terminate_backend(1)", false)]
    [InlineData("SELECT net.http_post(url := 'https://x') FROM generate_series(1, 3)", false)]
    [InlineData("SELECT net.http_post(url := 'https://x') UNION SELECT 1", false)]
    [InlineData("DO $$ BEGIN PERFORM net.http_post('https://x'); END $$", false)]
    [InlineData("SELECT http_post('https://x')", false)]
    [InlineData("SELECT net.http_post(url := 'https://x'", false)]
    [InlineData("SELECT x FROM t WHERE net.http_post('https://x') IS NOT NULL", false)]
    public void Only_a_command_that_is_one_net_http_call_is_a_pg_net_job(string command, bool matches) =>
        Assert.Equal(matches, PgNetCommandShape.IsSingleCall(command));

    [Theory]
    [InlineData("service_role_key", "service-role-key")]
    [InlineData("Notify Worker/Authorization", "notify-worker-authorization")]
    [InlineData("app.settings.anon_key", "app-settings-anon-key")]
    [InlineData("___", "pg-net-secret")]
    public void Secret_names_become_vault_names(string name, string vault) => Assert.Equal(vault, PgNetConverter.VaultName(name));
}
