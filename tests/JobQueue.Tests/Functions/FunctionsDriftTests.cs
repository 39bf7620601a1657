using JobQueue.Api;
using JobQueue.Scheduling;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The Azure Functions project against the library's route table and schedule declarations: every
/// route has an HTTP function with the same name, method, route and AuthorizationLevel.Function,
/// every schedule a timer function bound to its setting, and nothing else is declared.
/// </summary>
public sealed class FunctionsDriftTests
{
    [Fact]
    public void Every_route_has_an_http_function_with_the_same_name_method_route_and_function_auth_level()
    {
        var functions = FunctionsSource.HttpFunctions().ToDictionary(f => f.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var route in ApiRoutes.All)
        {
            if (!functions.TryGetValue(route.Name, out var function))
            {
                problems.Add($"route {route.Name} ({route.Method} {route.Template}): no HTTP function [Function(\"{route.Name}\")]");
                continue;
            }

            if (function.AuthLevel != "Function")
            {
                problems.Add($"{route.Name}: AuthorizationLevel.{function.AuthLevel}, expected AuthorizationLevel.Function");
            }

            if (function.Methods.Count != 1 || function.Methods[0] != route.Method)
            {
                problems.Add($"{route.Name}: methods [{string.Join(", ", function.Methods)}], expected [{route.Method}]");
            }

            if (function.Route != route.Template)
            {
                problems.Add($"{route.Name}: Route = \"{function.Route}\", expected \"{route.Template}\"");
            }

            if (route.Template.Contains("{id}", StringComparison.Ordinal) != function.Signature.Contains("string id", StringComparison.Ordinal))
            {
                problems.Add($"{route.Name}: the route value {{id}} and a 'string id' parameter must go together");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_http_function_is_a_route_of_the_table()
    {
        var routes = ApiRoutes.All.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var extra = FunctionsSource.HttpFunctions().Select(f => f.Name).Where(n => !routes.Contains(n)).ToList();
        Assert.True(extra.Count == 0, "HTTP functions without a route table entry: " + string.Join(", ", extra));
    }

    [Fact]
    public void Every_schedule_has_a_timer_function_bound_to_its_setting_that_does_not_run_on_startup()
    {
        var timers = FunctionsSource.TimerFunctions().ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var schedule in Schedules.All)
        {
            if (!timers.TryGetValue(schedule.Name, out var timer))
            {
                problems.Add($"schedule {schedule.Name}: no timer function [Function(\"{schedule.Name}\")]");
                continue;
            }

            if (timer.Schedule != $"%{schedule.SettingKey}%")
            {
                problems.Add($"{schedule.Name}: TimerTrigger(\"{timer.Schedule}\"), expected \"%{schedule.SettingKey}%\"");
            }

            if (!timer.Options.Replace(" ", "", StringComparison.Ordinal).Contains("RunOnStartup=false", StringComparison.Ordinal))
            {
                problems.Add($"{schedule.Name}: RunOnStartup = false missing");
            }

            if (!timer.Body.Contains($"Schedules.{schedule.Name}.Name", StringComparison.Ordinal)
                || !timer.Body.Contains("IsPastDue", StringComparison.Ordinal))
            {
                problems.Add($"{schedule.Name}: the body must call the library with Schedules.{schedule.Name}.Name and the timer's IsPastDue");
            }
        }

        var names = Schedules.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(timers.Keys.Where(n => !names.Contains(n)).Select(n => $"timer function {n} has no schedule declaration"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_function_is_either_a_route_or_a_schedule_and_names_are_unique()
    {
        var names = FunctionsSource.FunctionNames();
        var expected = ApiRoutes.All.Select(r => r.Name).Concat(Schedules.All.Select(s => s.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_parser_sees_what_is_declared()
    {
        // guards the regular expressions: a function the parser misses would hide drift
        var declared = FunctionsSource.FunctionNames().Count;
        Assert.Equal(declared, FunctionsSource.HttpFunctions().Count + FunctionsSource.TimerFunctions().Count);
        Assert.True(declared > 0);
    }

    [Fact]
    public void Program_wires_the_worker_application_insights_and_the_library()
    {
        var program = RepositoryFiles.Read(FunctionsSource.ProjectDirectory + "/Program.cs");
        foreach (var call in new[]
                 {
                     "FunctionsApplication.CreateBuilder(args)", "ConfigureFunctionsWebApplication()",
                     "AddApplicationInsightsTelemetryWorkerService(", ".ConfigureFunctionsApplicationInsights()",
                     "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider",
                     "AddJobQueue(builder.Configuration)", "UseMiddleware<DatabaseOutageMiddleware>()",
                 })
        {
            Assert.Contains(call, program, StringComparison.Ordinal);
        }

        var project = RepositoryFiles.Read(FunctionsSource.ProjectDirectory + "/JobQueue.Functions.csproj");
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", project, StringComparison.Ordinal);
        Assert.Contains("<OutputType>Exe</OutputType>", project, StringComparison.Ordinal);
        Assert.Contains("<None Include=\"../../host.json\" CopyToOutputDirectory=\"PreserveNewest\" Link=\"host.json\" />", project, StringComparison.Ordinal);
    }
}
