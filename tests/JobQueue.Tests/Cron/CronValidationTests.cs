using JobQueue.Tests.Infrastructure;
using System.Text.Json;
using JobQueue.Cron;
using JobQueue.Runner;

namespace JobQueue.Tests.Cron;

/// <summary>Request validation and schedule descriptions (no database).</summary>
public sealed class CronValidationTests
{
    private static readonly CronJobRequestValidator Validator = new(new JobHandlerRegistry([new ProbeHandler()]));

    [Theory]
    [InlineData("*/30 * * * *")]
    [InlineData("0 * * * *")]
    [InlineData("15 3 * * *")]
    [InlineData("0-30/10 1,13 1-15 */2 1-5")]
    [InlineData("  5   4 * * 7 ")]
    public void Valid_schedules_pass_and_are_normalized(string schedule)
    {
        Assert.Null(CronJobRequestValidator.CheckSchedule(schedule, out var normalized));
        Assert.DoesNotContain("  ", normalized, StringComparison.Ordinal);
        Assert.Equal(5, normalized.Split(' ').Length);
    }

    [Theory]
    [InlineData("* * * *", "exactly 5 fields")]
    [InlineData("0 * * * * *", "exactly 5 fields")]
    [InlineData("@daily", "macros")]
    [InlineData("30 seconds", "seconds")]
    [InlineData("60 * * * *", "field 1 (minute)")]
    [InlineData("0 24 * * *", "field 2 (hour)")]
    [InlineData("0 0 0 * *", "field 3 (day of month)")]
    [InlineData("0 0 * 13 *", "field 4 (month)")]
    [InlineData("0 0 * * 8", "field 5 (day of week)")]
    [InlineData("0 0 * * MON", "field 5 (day of week)")]
    [InlineData("0 0 L * *", "field 3 (day of month)")]
    [InlineData("5/15 * * * *", "field 1 (minute)")]
    [InlineData("*/0 * * * *", "field 1 (minute)")]
    [InlineData("30-10 * * * *", "backwards")]
    [InlineData("0 0 31 2 *", "never fires")]
    [InlineData("*'; select 1;-- * * * *", "")]
    [InlineData("", "required")]
    public void Invalid_schedules_say_which_field_is_wrong(string schedule, string expected)
    {
        var error = CronJobRequestValidator.CheckSchedule(schedule, out _);

        Assert.NotNull(error);
        Assert.Equal("schedule", error.Field);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/30 * * * *", "Every 30 minutes")]
    [InlineData("* * * * *", "Every minute")]
    [InlineData("0 * * * *", "Hourly at minute 0")]
    [InlineData("15 3 * * *", "Daily at 03:15 UTC")]
    [InlineData("0 */6 * * *", "Every 6 hours at minute 0")]
    [InlineData("0 9 * * 1-5", "Weekdays (Monday to Friday) at 09:00 UTC")]
    [InlineData("30 7 * * 1", "Weekly on Monday at 07:30 UTC")]
    [InlineData("0 2 1 * *", "Monthly on day 1 at 02:00 UTC")]
    [InlineData("0 6,18 * * *", "Daily at 06:00 and 18:00 UTC")]
    [InlineData("@daily", "Daily at 00:00 UTC")]
    [InlineData("30 seconds", "Every 30 seconds")]
    [InlineData("0-30/10 1,13 1-15 */2 1-5", "0-30/10 1,13 1-15 */2 1-5")]
    public void Schedules_are_described_in_words(string schedule, string expected) =>
        Assert.Equal(expected, CronScheduleDescriber.Describe(schedule));

    [Theory]
    [InlineData("nightly-cleanup", null)]
    [InlineData("sync.v2_a", null)]
    [InlineData("", "is required")]
    [InlineData("-leading", "letters, digits")]
    [InlineData("x'; DROP TABLE job_queue; --", "letters, digits")]
    [InlineData("a$$b", "letters, digits")]
    [InlineData("ünïcode", "letters, digits")]
    public void Job_names_follow_the_pattern(string name, string? expected)
    {
        var error = CronJobRequestValidator.CheckName(name);
        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal("jobName", error?.Field);
            Assert.Contains(expected, error!.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Job_names_longer_than_pg_crons_name_type_are_rejected() =>
        Assert.Contains("63", CronJobRequestValidator.CheckName(new string('a', 64))!.Reason, StringComparison.Ordinal);

    [Fact]
    public void A_valid_create_request_becomes_a_definition()
    {
        var errors = Validator.ValidateCreate(
            new CreateCronJobRequest("probe-job", " */5  * * * * ", "probe", Json("""{"count":3}"""), 4), out var definition);

        Assert.Empty(errors);
        Assert.Equal(new CronJobDefinition("probe-job", "*/5 * * * *", "probe", """{"count":3}""", 4), definition);
    }

    [Fact]
    public void Every_bad_field_of_a_create_request_is_reported_and_no_definition_is_made()
    {
        var errors = Validator.ValidateCreate(
            new CreateCronJobRequest("bad name", "* * *", "not_registered", Json("[1]"), 0), out var definition);

        Assert.Null(definition);
        Assert.Equal(["jobName", "schedule", "taskType", "payload", "maxAttempts"], errors.Select(e => e.Field));
        Assert.Contains("probe", errors[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Payloads_are_bounded_and_checked_by_the_task_types_handler()
    {
        var big = Validator.ValidateCreate(
            new CreateCronJobRequest("j", "* * * * *", "probe", Json(JsonSerializer.Serialize(new { s = new string('x', 17000) })), 3), out _);
        var wrong = Validator.ValidateCreate(new CreateCronJobRequest("j", "* * * * *", "probe", Json("""{"count":-1}"""), 3), out _);
        var tooMany = Validator.ValidateCreate(new CreateCronJobRequest("j", "* * * * *", "probe", null, 101), out _);

        Assert.Equal("payload", Assert.Single(big).Field);
        Assert.Equal("payload.count", Assert.Single(wrong).Field);
        Assert.Equal("maxAttempts", Assert.Single(tooMany).Field);
    }

    [Fact]
    public void Standing_job_names_get_the_app_database_when_pg_cron_serves_another_database()
    {
        var sync = ComposedApp.Standing.Single(s => s.TaskType == "game_platform_sync");

        Assert.Equal("standing_game_platform_sync", sync.JobNameFor(null));
        Assert.Equal("standing_game_platform_sync.my_app", sync.JobNameFor("my app"));
        Assert.Equal(63, sync.JobNameFor(new string('d', 80)).Length);
        Assert.Null(CronJobRequestValidator.CheckName(sync.JobNameFor("jq_t_0123456789ab")));
        Assert.Equal("standing:game_platform_sync", sync.DedupeKey);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private sealed class ProbePayload
    {
        public int Count { get; set; }
    }

    private sealed class ProbeHandler : JobHandler<ProbePayload>
    {
        public override string TaskType => "probe";

        protected override IEnumerable<PayloadError> Validate(ProbePayload payload)
        {
            if (payload.Count < 0)
            {
                yield return new PayloadError("count", "must not be negative");
            }
        }

        protected override Task<object?> HandleAsync(ProbePayload payload, JobContext context, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(null);
    }
}
