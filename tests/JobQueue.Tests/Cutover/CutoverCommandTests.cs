using JobQueue.Server;

namespace JobQueue.Tests.Cutover;

/// <summary>The cut-over subcommand's usage: exit 2 and the usage line, nothing run.</summary>
public sealed class CutoverCommandTests
{
    [Theory]
    [InlineData("cutover")]
    [InlineData("cutover|frobnicate|Host=127.0.0.1")]
    [InlineData("cutover|PLAN|Host=127.0.0.1")]
    [InlineData("cutover|plan|Host=127.0.0.1|--cron")]
    public async Task A_wrong_command_line_is_a_usage_error(string commandLine)
    {
        var args = commandLine.Split('|');
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await CutoverCommand.RunAsync(args, output, error));
        Assert.Contains("usage: JobQueue.Server cutover plan|apply|rollback", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }
}
