using System.Globalization;
using System.Text.RegularExpressions;
using Fairlane.Worker.Cli;

namespace Fairlane.Tests.Deploy;

/// <summary>deploy/systemd: the units are valid, run the daemon as designed, and are hardened.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // systemd, bash and Unix file modes
public sealed partial class SystemdUnitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    public static readonly TheoryData<string> Units = new() { "fairlane.service", "fairlane@.service" };

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning(string unit)
    {
        using var dir = StageWithStubExecutable(unit);
        var analyze = ExternalTool.Require("systemd-analyze", "systemd");
        // A template is verified through one of its instances.
        var target = unit.Replace("@.", "@1.", StringComparison.Ordinal);

        var result = await ExternalTool.RunAsync(analyze, ["verify", dir.Path(target)], Deadline, workingDirectory: dir.FullName);

        Assert.True(result.ExitCode == 0, result.ToString());
        // verify only warns (exit 0) about unknown keys and unparsable values; any output is a defect.
        Assert.True(result.Stderr.Trim().Length == 0 && result.Stdout.Trim().Length == 0, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Systemd_rates_the_unit_exposure_as_low(string unit)
    {
        using var dir = StageWithStubExecutable(unit);
        var analyze = ExternalTool.Require("systemd-analyze", "systemd");

        var result = await ExternalTool.RunAsync(analyze, ["security", "--offline=yes", "--no-pager", dir.Path(unit.Replace("@.", "@1.", StringComparison.Ordinal))],
            Deadline, workingDirectory: dir.FullName);

        var level = ExposureLevel().Match(result.Stdout + result.Stderr);
        Assert.True(level.Success, result.ToString());
        // 0 is a fully locked-down service, 10 an unprotected one; ours measured 1.5. Above 2 means
        // a hardening setting was lost.
        Assert.InRange(double.Parse(level.Groups[1].Value, CultureInfo.InvariantCulture), 0, 2.0);
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void The_unit_notifies_is_watched_restarts_on_failure_and_never_loops_on_a_bad_setting(string name)
    {
        var unit = UnitFile.Load(DeployFiles.Systemd(name));

        Assert.Equal("notify", unit.Get("Service", "Type"));
        Assert.True(int.Parse(unit.Get("Service", "WatchdogSec") ?? "0", CultureInfo.InvariantCulture) > 0, "WatchdogSec must be set");
        Assert.Equal("/opt/fairlane/fairlane run", unit.Get("Service", "ExecStart"));
        Assert.Equal("on-failure", unit.Get("Service", "Restart"));
        var prevented = (unit.Get("Service", "RestartPreventExitStatus") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(ExitCodes.Configuration.ToString(CultureInfo.InvariantCulture), prevented);
        Assert.Contains(ExitCodes.Usage.ToString(CultureInfo.InvariantCulture), prevented);
        Assert.DoesNotContain(ExitCodes.Failure.ToString(CultureInfo.InvariantCulture), prevented);
        Assert.Contains("/etc/fairlane/fairlane.env", unit.All("Service", "EnvironmentFile"));
        Assert.NotNull(unit.Get("Service", "LimitNOFILE"));
        Assert.Equal("multi-user.target", unit.Get("Install", "WantedBy"));
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void The_unit_is_hardened_but_lets_the_jit_write_code(string name)
    {
        var unit = UnitFile.Load(DeployFiles.Systemd(name));

        Assert.Equal("fairlane", unit.Get("Service", "User"));
        foreach (var (key, value) in new[]
                 {
                     ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                     ("ProtectKernelTunables", "yes"), ("ProtectKernelModules", "yes"), ("ProtectControlGroups", "yes"),
                     ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"), ("CapabilityBoundingSet", ""),
                 })
        {
            Assert.True(unit.Get("Service", key) == value, $"{name}: expected {key}={value}, found {key}={unit.Get("Service", key) ?? "(unset)"}");
        }
        Assert.Contains("@system-service", unit.All("Service", "SystemCallFilter"));
        // The .NET JIT maps memory writable and executable; MemoryDenyWriteExecute=yes kills the process.
        Assert.False(unit.Has("Service", "MemoryDenyWriteExecute"), "MemoryDenyWriteExecute must not be set: the .NET JIT needs W+X memory");
    }

    [Fact]
    public void The_template_reads_a_settings_file_per_instance_after_the_shared_one()
    {
        var unit = UnitFile.Load(DeployFiles.Systemd("fairlane@.service"));

        Assert.Equal(new[] { "/etc/fairlane/fairlane.env", "/etc/fairlane/%i.env" }, unit.All("Service", "EnvironmentFile"));
        Assert.Contains("FAIRLANE__WORKER__NODEID=%H-%i", unit.All("Service", "Environment"));
    }

    /// <summary>
    /// The unit copied into a temp directory, with its ExecStart binary replaced by a stub script there:
    /// systemd-analyze verify fails when the ExecStart path is not an executable, and /opt/fairlane
    /// does not exist on a build machine. Only that path changes; every other line is verified as shipped.
    /// </summary>
    private static TempDirectory StageWithStubExecutable(string unit)
    {
        var dir = DeployFiles.TempDirectory("fl-unit");
        var stub = dir.Path("fairlane");
        File.WriteAllText(stub, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var text = File.ReadAllText(DeployFiles.Systemd(unit));
        Assert.Contains("ExecStart=/opt/fairlane/fairlane ", text);
        File.WriteAllText(dir.Path(unit), text.Replace("ExecStart=/opt/fairlane/fairlane ", $"ExecStart={stub} ", StringComparison.Ordinal));
        return dir;
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex ExposureLevel();
}
