using Fairlane.LoadTest;
using Fairlane.LoadTest.Cli;

namespace Fairlane.Tests.LoadTest;

/// <summary>The harness's command line: settings passed through to every worker of the fleet.</summary>
public sealed class LoadTestCommandLineTests
{
    private static Fairlane.LoadTest.Scenarios.ScenarioSettings Parse(params string[] args)
    {
        RunRequest? request = null;
        var root = LoadTestCommandLine.Build((r, _) =>
        {
            request = r;
            return Task.FromResult(0);
        });
        Assert.Equal(0, root.Parse(args).Invoke());
        return request!.Settings;
    }

    [Fact]
    public void Worker_settings_are_passed_as_given_in_order()
    {
        var settings = Parse("max", "--worker-setting", "Telemetry:SamplingRatio=0.1", "--worker-setting", "Telemetry:OtlpEndpoint=http://127.0.0.1:4317");

        Assert.Equal([new("Telemetry:SamplingRatio", "0.1"), new("Telemetry:OtlpEndpoint", "http://127.0.0.1:4317")], settings.WorkerOverrides);
    }

    [Theory]
    [InlineData("SamplingRatio=0.1")]
    [InlineData("Telemetry:SamplingRatio")]
    [InlineData("=0.1")]
    public void A_worker_setting_without_section_key_and_value_is_a_usage_error(string setting)
    {
        var root = LoadTestCommandLine.Build((_, _) => Task.FromResult(0));
        Assert.Equal(2, root.Parse(["max", "--worker-setting", setting]).Invoke());
    }
}
