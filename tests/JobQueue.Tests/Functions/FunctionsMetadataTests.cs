using JobQueue.Tests.Infrastructure;
using System.Text.Json.Nodes;
using JobQueue.Api;
using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using JobQueue.WakeUp;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The <c>functions.metadata</c> that the official Worker SDK generated when it built
/// src/JobQueue.Functions, against the library: every route of <see cref="ComposedApp.Routes"/> is an HTTP
/// function with the same name, method, route and AuthorizationLevel.Function (Anonymous for the
/// dashboard's static files); every schedule of <see cref="ComposedApp.Schedules"/> a timer function bound to
/// its setting that does not run on startup; the wake-up queue's trigger (<see cref="RunnerWakeUp"/>)
/// bound to its queue and connection; and there is no other function (a new trigger kind needs its
/// library declaration and a check here).
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly IReadOnlyList<FunctionMetadataEntry> Metadata =
        FunctionMetadataFile.Read(FunctionsWorkerFixture.App.MetadataPath);

    [Fact]
    public void The_functions_are_exactly_the_routes_and_the_schedules_each_once()
    {
        var expected = ComposedApp.Routes.Select(r => r.Name).Concat(ComposedApp.Schedules.Select(s => s.Name)).Append(RunnerWakeUp.FunctionName)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, Metadata.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_route_is_an_http_function_with_its_method_route_and_function_auth_level()
    {
        var functions = Metadata.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var route in ComposedApp.Routes)
        {
            if (!functions.TryGetValue(route.Name, out var function))
            {
                problems.Add($"route {route.Name} ({route.Method} {route.Template}): no function");
                continue;
            }

            var trigger = function.Trigger;
            Expect(problems, route.Name, "trigger type", "httpTrigger", function.TriggerType);
            // the dashboard's static files are anonymous (a page load cannot carry a function key); every API route needs one
            Expect(problems, route.Name, "authLevel", route.Auth == ApiAuth.Public ? "Anonymous" : "Function", Text(trigger, "authLevel"));
            Expect(problems, route.Name, "route", route.Template, Text(trigger, "route"));
            Expect(problems, route.Name, "methods", route.Method,
                string.Join(",", trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()) ?? []));
            Expect(problems, route.Name, "trigger binding direction", "In", Text(trigger, "direction"));

            // the IResult goes back as the HTTP response: the return value is the http output binding
            var output = function.Bindings.SingleOrDefault(b => Text(b, "name") == "$return");
            Expect(problems, route.Name, "$return binding", "http Out", output is null ? "none" : $"{Text(output, "type")} {Text(output, "direction")}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_schedule_is_a_timer_function_bound_to_its_setting_that_does_not_run_on_startup()
    {
        var functions = Metadata.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var schedule in ComposedApp.Schedules)
        {
            if (!functions.TryGetValue(schedule.Name, out var function))
            {
                problems.Add($"schedule {schedule.Name}: no function");
                continue;
            }

            var trigger = function.Trigger;
            Expect(problems, schedule.Name, "trigger type", "timerTrigger", function.TriggerType);
            Expect(problems, schedule.Name, "schedule", $"%{schedule.SettingKey}%", Text(trigger, "schedule"));
            Expect(problems, schedule.Name, "runOnStartup", "false", trigger["runOnStartup"]?.ToJsonString() ?? "missing");
            Expect(problems, schedule.Name, "bindings", "1 (the timer; no output)", function.Bindings.Count == 1 ? "1 (the timer; no output)" : function.Bindings.Count.ToString());
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_wake_up_function_is_a_queue_trigger_on_the_wake_up_queue_with_the_hosts_storage_polled_every_second()
    {
        var function = Assert.Single(Metadata, f => f.Name == RunnerWakeUp.FunctionName);
        var problems = new List<string>();
        Expect(problems, function.Name, "trigger type", "queueTrigger", function.TriggerType);
        Expect(problems, function.Name, "queueName", RunnerWakeUp.QueueName, Text(function.Trigger, "queueName"));
        Expect(problems, function.Name, "connection", RunnerWakeUp.Connection, Text(function.Trigger, "connection"));
        Expect(problems, function.Name, "bindings", "1 (the queue message; no output)", function.Bindings.Count == 1 ? "1 (the queue message; no output)" : function.Bindings.Count.ToString());
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // the host polls an empty queue every maxPollingInterval at most (default one minute): about a second's pickup needs 1 s
        var queues = JsonNode.Parse(RepositoryFiles.Read("host.json"))!["extensions"]!["queues"]!;
        Assert.Equal("00:00:01", queues["maxPollingInterval"]!.GetValue<string>());
        Assert.Null(queues["messageEncoding"]); // base64, as the library sends (WakeUpQueueConnection)
    }

    [Fact]
    public void Every_function_runs_from_the_functions_assembly_of_a_class_of_the_project()
    {
        foreach (var function in Metadata)
        {
            Assert.Equal("JobQueue.Functions.dll", function.ScriptFile);
            Assert.StartsWith("JobQueue.Functions.", function.EntryPoint, StringComparison.Ordinal);
        }
    }

    private static string? Text(JsonObject binding, string property) =>
        binding[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : binding[property]?.ToJsonString();

    private static void Expect(List<string> problems, string function, string what, string expected, string? actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            problems.Add($"{function}: {what} is '{actual ?? "missing"}', expected '{expected}'");
        }
    }
}
