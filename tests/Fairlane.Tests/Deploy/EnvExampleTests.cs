using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Deploy;

/// <summary>The example settings that install.sh puts in /etc/fairlane are ones the daemon accepts.</summary>
public sealed class EnvExampleTests
{
    [Fact]
    public void The_example_is_valid_once_the_operator_sets_the_two_secrets_and_names_only_those_before()
    {
        var example = FairlaneSettings.ReadEnvFile(DeployFiles.Systemd("fairlane.env.example"));

        var problems = FairlaneSettings.Problems(example);
        Assert.True(problems.Count == 2 && problems.Any(p => p.Contains("Channels:CredentialKey", StringComparison.Ordinal))
            && problems.Any(p => p.Contains("Admin:Token", StringComparison.Ordinal)), string.Join("\n", problems));

        example["FAIRLANE__CHANNELS__CREDENTIALKEY"] = TestServers.CredentialKey;
        example["FAIRLANE__ADMIN__TOKEN"] = InProcessWorker.AdminToken;
        Assert.Empty(FairlaneSettings.Problems(example));
        Assert.Equal(3, example.Keys.Count(k => k.StartsWith("FAIRLANE__REDIS__ENDPOINTS__", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_instance_file_overrides_the_metrics_port_and_the_result_is_valid()
    {
        var settings = FairlaneSettings.ReadEnvFile(DeployFiles.Systemd("fairlane.env.example"));
        settings["FAIRLANE__CHANNELS__CREDENTIALKEY"] = TestServers.CredentialKey;
        settings["FAIRLANE__ADMIN__TOKEN"] = InProcessWorker.AdminToken;
        var instance = FairlaneSettings.ReadEnvFile(DeployFiles.Systemd("instance.env.example"));
        foreach (var (k, v) in instance) settings[k] = v;

        Assert.Equal("9401", settings["FAIRLANE__HTTP__METRICSPORT"]);
        Assert.Equal("9501", settings["FAIRLANE__ADMIN__PORT"]);
        Assert.Empty(FairlaneSettings.Problems(settings));
        // A node id in the shared file would give every instance the same name.
        Assert.DoesNotContain("FAIRLANE__WORKER__NODEID", FairlaneSettings.ReadEnvFile(DeployFiles.Systemd("fairlane.env.example")).Keys);
    }
}
