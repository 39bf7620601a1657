using JobQueue.Tests.Infrastructure;
using System.Reflection;
using System.Text.Json;
using JobQueue.Api;
using JobQueue.Scheduling;
using JobQueue.Secrets;

namespace JobQueue.Tests.Functions;

/// <summary>
/// local.settings.sample.json: the Functions shape, comment-free, and every setting either host
/// reads: each Schedules key, each property of each options class (a type with a <c>Section</c>
/// constant), the local secrets, and the Functions host's own settings.
/// </summary>
public sealed class LocalSettingsSampleTests
{
    private const string SampleFile = "local.settings.sample.json";

    // the Functions host's own settings, the server's switch for its schedule service, and telemetry
    private static readonly string[] HostSettings =
    [
        "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "Schedules__Enabled",
        JobQueue.Telemetry.JobQueueOpenTelemetryExtensions.ConnectionStringKey, JobQueue.Telemetry.AzureMonitorCredential.SettingKey,
    ];

    [Fact]
    public void Sample_is_plain_json_in_the_functions_shape()
    {
        // JsonDocument rejects comments and trailing commas by default: copy-and-run means strict JSON
        using var doc = JsonDocument.Parse(RepositoryFiles.Read(SampleFile));
        Assert.False(doc.RootElement.GetProperty("IsEncrypted").GetBoolean());
        var values = doc.RootElement.GetProperty("Values");
        Assert.Equal(JsonValueKind.Object, values.ValueKind);
        foreach (var value in values.EnumerateObject())
        {
            Assert.True(value.Value.ValueKind == JsonValueKind.String, $"{value.Name}: Functions values are strings");
        }

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
    }

    [Fact]
    public void Sample_has_every_schedule_with_its_default_expression()
    {
        var values = Values();
        foreach (var schedule in ComposedApp.Schedules)
        {
            var key = AppSetting(schedule.SettingKey);
            Assert.True(values.TryGetValue(key, out var cron), $"{key} missing");
            Assert.Equal(schedule.DefaultCron, cron);
        }
    }

    [Fact]
    public void Sample_has_every_setting_of_every_options_class_and_the_local_secrets()
    {
        var values = Values();
        var expected = OptionKeys()
            .Concat(HostSettings)
            .Concat([SecretKey(SecretNames.RunnerSecret), SecretKey(SecretNames.AdminToken), SecretKey(SecretNames.GamePlatformApiKey)])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var missing = expected.Where(k => !values.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "missing from " + SampleFile + ": " + string.Join(", ", missing));
        Assert.True(expected.Count > 20, "the options discovery found too little: " + string.Join(", ", expected));
    }

    [Fact]
    public void Sample_keeps_local_values_safe()
    {
        var values = Values();
        Assert.Equal("", values["KeyVault__VaultUri"]);
        Assert.Equal("false", values["Database__UseEntraId"]);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(values["Database__ConnectionString"]);
        Assert.Equal("127.0.0.1", connection.Host);
        Assert.Equal("false", values["Auth__AppServiceAuthentication"]);
        Assert.Equal("", values["APPLICATIONINSIGHTS_CONNECTION_STRING"]); // a local run exports no telemetry
    }

    private static Dictionary<string, string> Values()
    {
        using var doc = JsonDocument.Parse(RepositoryFiles.Read(SampleFile));
        return doc.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    private static string AppSetting(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    private static string SecretKey(string name) => $"{ConfigurationSecretProvider.Section}__{name}";

    /// <summary>Section__Property (nested: Section__Property__Inner) of every options class in the library and the server.</summary>
    private static IEnumerable<string> OptionKeys()
    {
        var assemblies = new[] { typeof(ApiRoutes).Assembly, typeof(JobQueue.Server.JobQueueServer).Assembly };
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            var section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static);
            if (section is not { IsLiteral: true } || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            {
                continue;
            }

            // options keyed by name (TaskLimits:<taskType>:...): the sample shows one key
            var keyed = type.GetField("SampleKey", BindingFlags.Public | BindingFlags.Static);
            var prefix = AppSetting((string)section.GetRawConstantValue()!)
                         + (keyed is { IsLiteral: true } ? "__" + (string)keyed.GetRawConstantValue()! : "");
            foreach (var key in PropertyKeys(type, prefix))
            {
                yield return key;
            }
        }
    }

    private static IEnumerable<string> PropertyKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var key = $"{prefix}__{property.Name}";
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri))
            {
                yield return key;
            }
            else if (t.IsClass && t.GetConstructor(Type.EmptyTypes) is not null && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
            {
                foreach (var inner in PropertyKeys(t, key))
                {
                    yield return inner;
                }
            }
        }
    }
}
