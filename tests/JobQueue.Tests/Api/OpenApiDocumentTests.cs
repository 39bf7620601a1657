using JobQueue.Tests.Infrastructure;
using JobQueue.Api;
using JobQueue.Tests.Functions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace JobQueue.Tests.Api;

/// <summary>
/// The committed OpenAPI document (src/JobQueue/Api/openapi.json) is what the route table generates, an
/// OpenAPI.NET reader reads it as OpenAPI 3.1 without an error, and its operations are exactly the route
/// table's routes with their methods. With JOBQUEUE_OPENAPI_WRITE=1 (infra/local/openapi-dump.sh) the
/// first test writes the file instead.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string Committed = "src/JobQueue/Api/openapi.json";

    [Fact]
    public async Task The_committed_document_is_what_the_route_table_generates()
    {
        var generated = ApiDocumentGenerator.Write(ComposedApp.Routes);
        if (Environment.GetEnvironmentVariable("JOBQUEUE_OPENAPI_WRITE") == "1")
        {
            await File.WriteAllTextAsync(RepositoryFiles.PathOf(Committed), generated);
            return;
        }

        var committed = File.Exists(RepositoryFiles.PathOf(Committed)) ? RepositoryFiles.Read(Committed) : "";
        Assert.True(committed == generated,
            $"The route table generates another OpenAPI document than the committed {Committed}. "
            + "If the change is intended, refresh it with `bash infra/local/openapi-dump.sh` and commit the diff.\n"
            + JobQueue.Tests.Database.FirstLayoutUpgradeTests.FirstDifference(committed, generated));
    }

    [Fact]
    public void The_committed_document_reads_as_OpenAPI_3_1_without_errors_and_validates()
    {
        var read = OpenApiDocument.Parse(RepositoryFiles.Read(Committed), "json");

        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic!.SpecificationVersion);
        Assert.Empty(read.Diagnostic.Errors.Select(e => e.ToString()));
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString()));
    }

    [Fact]
    public void Its_operations_are_exactly_the_route_tables_routes_with_their_methods()
    {
        var document = OpenApiDocument.Parse(RepositoryFiles.Read(Committed), "json").Document!;

        var operations = document.Paths
            .SelectMany(p => p.Value.Operations!.Select(o => $"{o.Key.Method} {p.Key} {o.Value.OperationId}"))
            .Order(StringComparer.Ordinal).ToList();
        var routes = ComposedApp.Routes
            .Select(r => $"{r.Method} {ApiDocumentGenerator.Path(r.Template)} {r.Name}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(routes, operations);
        Assert.Equal("/api", Assert.Single(document.Servers!).Url);
    }

    [Fact]
    public void Every_operation_has_a_one_line_summary_and_the_Vercel_Cron_route_says_how_Vercel_calls_it()
    {
        var document = OpenApiDocument.Parse(RepositoryFiles.Read(Committed), "json").Document!;
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Values).ToList();

        Assert.Equal(ComposedApp.Routes.Count, operations.Count);
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Summary), $"{o.OperationId} has no summary"));
        Assert.All(operations, o => Assert.DoesNotContain('\n', o.Summary!));
        Assert.Equal(operations.Count, operations.Select(o => o.Summary).Distinct(StringComparer.Ordinal).Count());
        var vercel = operations.Single(o => o.OperationId == "JobsRunGet").Description!;
        Assert.Contains("Vercel Cron", vercel, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer $CRON_SECRET", vercel, StringComparison.Ordinal);
        // an audited route still says under which action it is recorded
        Assert.Contains("job.retry", operations.Single(o => o.OperationId == "AdminJobsRetry").Description!, StringComparison.Ordinal);
    }

    /// <remarks>
    /// RequestFields.Number, QueryInt and the others refuse a number sent as a string (400: "must be an
    /// integer", ApiValidationTests), so no schema may offer a string where a number goes
    /// (TriggerTotalsSweepRequest.batchSize was once string | number | null).
    /// </remarks>
    [Fact]
    public void Numbers_are_plain_numbers_never_a_string_alternative()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(RepositoryFiles.Read(Committed))!;
        var mixed = new List<string>();
        Walk(document, "#");
        Assert.Empty(mixed);
        Assert.Equal("[\"integer\",\"null\"]",
            document["components"]!["schemas"]!["TriggerTotalsSweepRequest"]!["properties"]!["batchSize"]!["type"]!.ToJsonString());

        void Walk(System.Text.Json.Nodes.JsonNode? node, string at)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    var types = o["type"] is System.Text.Json.Nodes.JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [];
                    if (types.Contains("string") && (types.Contains("integer") || types.Contains("number")) || o.ContainsKey("pattern"))
                    {
                        mixed.Add(at);
                    }

                    foreach (var (key, value) in o)
                    {
                        Walk(value, at + "/" + key);
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray items:
                    for (var i = 0; i < items.Count; i++)
                    {
                        Walk(items[i], $"{at}/{i}");
                    }

                    break;
            }
        }
    }

    [Fact]
    public void Each_operation_declares_its_security_its_request_and_its_problem_answers()
    {
        var document = OpenApiDocument.Parse(RepositoryFiles.Read(Committed), "json").Document!;
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Values).ToDictionary(o => o.OperationId!);

        Assert.Equal(
            ["adminToken", "functionKey", "functionKeyQuery", "runnerBearer", "runnerSecret"],
            document.Components!.SecuritySchemes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("x-job-runner-secret", document.Components.SecuritySchemes["runnerSecret"].Name);
        foreach (var route in ComposedApp.Routes)
        {
            var operation = operations[route.Name];
            var schemes = operation.Security!.SelectMany(s => s.Keys.Select(k => k.Reference.Id!)).ToHashSet();
            Assert.Equal(route.Auth switch
            {
                ApiAuth.Admin => ["adminToken", "functionKey", "functionKeyQuery"],
                ApiAuth.Runner => ["runnerSecret", "runnerBearer", "functionKey", "functionKeyQuery"],
                _ => new HashSet<string>(),
            }, schemes);
            if (route.Auth != ApiAuth.Public)
            {
                Assert.Contains("401", operation.Responses!.Keys);
                Assert.Contains("503", operation.Responses.Keys);
                Assert.NotNull(operation.Responses["401"].Content!["application/problem+json"].Schema);
            }

            Assert.Equal(route.RequestSource == ApiRequestSource.Body, operation.RequestBody is not null);
            Assert.Contains(route.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), operation.Responses!.Keys);
            foreach (var status in route.ErrorStatuses)
            {
                Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), operation.Responses.Keys);
            }
        }

        // the seeds' calls are the examples: seed 004's post-match enqueue of the stats job
        var stats = operations["AdminJobsEnqueueStats"].RequestBody!.Content!["application/json"];
        Assert.Equal("post-match", stats.Examples!["postMatch"].Value!["triggeredBy"]!.GetValue<string>());
        Assert.Contains("triggeredBy", stats.Schema!.Properties!.Keys);
        Assert.Contains("jobId", operations["AdminJobsEnqueueStats"].Responses!["200"].Content!["application/json"].Schema!.Properties!.Keys);
        // a GET route's request is its query parameters: the job list's filter and page
        Assert.Equal(["createdAfter", "createdBefore", "cursor", "limit", "q", "status", "taskType"],
            operations["AdminJobsList"].Parameters!.Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
