using Fairlane.Worker.Cli;

namespace Fairlane.Tests.Worker;

public sealed class CommandLineTests
{
    [Fact]
    public void No_command_means_run_and_configuration_overrides_pass_through()
    {
        var line = CommandLine.Parse(["--Kafka:GroupId=g", "--Http:MetricsPort", "9999"]);
        Assert.Equal("run", line.Command);
        Assert.Equal(["--Kafka:GroupId=g", "--Http:MetricsPort", "9999"], line.ConfigurationArgs);
    }

    [Fact]
    public void Command_options_are_read()
    {
        var line = CommandLine.Parse(["produce", "--demo", "1000", "--tenants", "4", "--Kafka:TopicPrefix=x"]);
        Assert.Equal("produce", line.Command);
        Assert.Equal(1000, line.GetInt("--demo", 0, 1, 10_000));
        Assert.Equal(4, line.GetInt("--tenants", 8, 1, 100));
        Assert.Equal(["--Kafka:TopicPrefix=x"], line.ConfigurationArgs);
    }

    [Fact]
    public void Unknown_command_and_option_are_usage_errors()
    {
        Assert.Contains("Unknown command 'frobnicate'", Assert.Throws<UsageException>(() => CommandLine.Parse(["frobnicate"])).Message);
        Assert.Contains("no option '--demos'", Assert.Throws<UsageException>(() => CommandLine.Parse(["produce", "--demos", "1"])).Message);
    }

    [Fact]
    public void Out_of_range_number_is_a_usage_error()
    {
        // The grammar's typed option rejects it while parsing; the verb's own reading says the same.
        Assert.Contains("--demo takes a whole number", Assert.Throws<UsageException>(() => CommandLine.Parse(["produce", "--demo", "zero"])).Message);
        var line = CommandLine.Parse(["produce", "--demo", "11"]);
        Assert.Contains("--demo takes a whole number", Assert.Throws<UsageException>(() => line.GetInt("--demo", 0, 1, 10)).Message);
    }

    [Theory]
    [InlineData("--help", "help")]
    [InlineData("-h", "help")]
    [InlineData("--version", "version")]
    public void Help_and_version_flags(string flag, string command) =>
        Assert.Equal(command, CommandLine.Parse([flag]).Command);
}
