using JobQueue.Tests.Infrastructure;
using System.Net;
using JobQueue.Api;

namespace JobQueue.Tests.Api;

/// <summary>Every protected route against missing, wrong and wrong-kind credentials: 401/403, and nothing changes.</summary>
public sealed class ApiAuthTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    public static TheoryData<string, Credentials, int> Rejections()
    {
        var data = new TheoryData<string, Credentials, int>();
        foreach (var route in ComposedApp.Routes.Where(r => r.Auth != ApiAuth.Public))
        {
            data.Add(route.Name, Credentials.None, 401);
            data.Add(route.Name, Credentials.WrongBearer, 401);
            data.Add(route.Name, Credentials.MalformedPrincipal, 401);
            if (route.Auth == ApiAuth.Runner)
            {
                data.Add(route.Name, Credentials.WrongRunnerHeader, 401);
                data.Add(route.Name, Credentials.Admin, 401);
                data.Add(route.Name, Credentials.PrincipalWithRole, 401);
            }
            else
            {
                data.Add(route.Name, Credentials.Runner, 401);
                data.Add(route.Name, Credentials.RunnerBearer, 401);
                data.Add(route.Name, Credentials.PrincipalWithoutRole, 403);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Protected_routes_refuse_and_change_nothing(string routeName, Credentials credentials, int expected)
    {
        var route = ComposedApp.Routes.Single(r => r.Name == routeName);
        var before = await fixture.Api.SnapshotAsync();

        using var response = await fixture.Api.SendAsync(new HttpMethod(route.Method), fixture.PathOf(route), ApiServerFixture.ValidBodyOf(route), credentials);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (expected == 401)
        {
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ApiTestServer.AdminToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiTestServer.RunnerSecret, body, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Api.SnapshotAsync());
    }

    [Fact]
    public async Task Public_routes_are_only_the_static_files_that_hold_no_data()
    {
        // the dashboard's files, the OpenAPI document and its reference page: every call they lead to needs credentials
        var open = ComposedApp.Routes.Where(r => r.Auth == ApiAuth.Public).ToList();
        Assert.Equal(["ApiReference", "Dashboard", "OpenApiDocument"], open.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(open, r => Assert.Equal("GET", r.Method));
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/dashboard/", null, Credentials.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_route_table_has_unique_names_and_routes_and_every_route_is_mapped()
    {
        Assert.Equal(ComposedApp.Routes.Count, ComposedApp.Routes.Select(r => r.Name).Distinct().Count());
        Assert.Equal(ComposedApp.Routes.Count, ComposedApp.Routes.Select(r => r.Method + " " + r.Template).Distinct().Count());
        Assert.All(ComposedApp.Routes, r => Assert.False(r.Template.StartsWith("api/", StringComparison.Ordinal)));
        foreach (var route in ComposedApp.Routes.Where(r => r.Method == "GET"))
        {
            using var response = await fixture.Api.SendAsync(HttpMethod.Get, fixture.PathOf(route), null,
                route.Auth == ApiAuth.Runner ? Credentials.RunnerBearer : Credentials.Admin);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_principal_header_is_ignored_unless_app_service_authentication_is_on()
    {
        await using var api = await ApiTestServer.StartAsync(fixture.Db, settings: new Dictionary<string, string?> { ["Auth:AppServiceAuthentication"] = "false" });
        using var response = await api.SendAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.PrincipalWithRole);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_forged_principal_gets_401_and_a_start_warning_where_app_service_authentication_is_not_really_on()
    {
        using var logs = new CapturingLoggerProvider();
        await using var api = await ApiTestServer.StartAsync(fixture.Db, settings: new Dictionary<string, string?>
        {
            ["Auth:AppServiceAuthentication"] = "true",
            ["WEBSITE_AUTH_ENABLED"] = null,
        }, logs: logs);

        foreach (var path in new[] { "/api/admin/job-queue/health", "/api/admin/jobs", "/api/admin/cron-jobs" })
        {
            using var response = await api.SendAsync(HttpMethod.Get, path, null, Credentials.PrincipalWithRole);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var put = await api.SendAsync(HttpMethod.Put, "/api/admin/job-queue/settings", """{"processingEnabled":false}""", Credentials.PrincipalWithRole);
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.True(await api.Db.ScalarAsync<bool>("SELECT processing_enabled FROM job_queue_settings"));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning ", StringComparison.Ordinal) && l.Contains("[2003]", StringComparison.Ordinal));
        using var bearer = await api.SendAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task A_principal_with_the_configured_role_is_admitted()
    {
        await using var api = await ApiTestServer.StartAsync(fixture.Db, settings: new Dictionary<string, string?> { ["Auth:AdminRole"] = "Ops" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/job-queue/settings");
        request.Headers.Add("x-ms-client-principal", ApiTestServer.Principal("ops@example.com", "Reader", "Ops"));
        using var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_admin_token_every_admin_request_is_refused()
    {
        await using var api = await ApiTestServer.StartAsync(fixture.Db, settings: new Dictionary<string, string?> { ["Secrets:admin-token"] = "" });
        using var response = await api.SendAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
