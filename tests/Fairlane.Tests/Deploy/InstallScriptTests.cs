namespace Fairlane.Tests.Deploy;

/// <summary>
/// deploy/systemd/install.sh, staged into a temp directory (--destdir) with a stand-in build
/// (--no-publish): what it installs, and that running it again keeps what an operator wrote.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // systemd, bash and Unix file modes
public sealed class InstallScriptTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Installs_units_settings_and_instances_and_a_second_run_keeps_the_operators_settings()
    {
        using var root = DeployFiles.TempDirectory("fl-install");
        Directory.CreateDirectory(root.Path("opt", "fairlane"));
        File.WriteAllText(root.Path("opt", "fairlane", "fairlane"), "#!/bin/sh\n");
        File.SetUnixFileMode(root.Path("opt", "fairlane", "fairlane"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var first = await InstallAsync(root, "--instances", "3");
        Assert.True(first.ExitCode == 0, first.ToString());

        var etc = root.Path("etc", "fairlane");
        var units = root.Path("etc", "systemd", "system");
        Assert.Equal(File.ReadAllText(DeployFiles.Systemd("fairlane.service")), File.ReadAllText(Path.Combine(units, "fairlane.service")));
        Assert.Equal(File.ReadAllText(DeployFiles.Systemd("fairlane@.service")), File.ReadAllText(Path.Combine(units, "fairlane@.service")));
        Assert.Equal(File.ReadAllText(DeployFiles.Systemd("fairlane.env.example")), File.ReadAllText(Path.Combine(etc, "fairlane.env")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(etc, "fairlane.env")));
        var ports = Enumerable.Range(1, 3).Select(i => MetricsPort(Path.Combine(etc, $"{i}.env"))).ToList();
        Assert.Equal(new[] { "9401", "9402", "9403" }, ports);
        var adminPorts = Enumerable.Range(1, 3).Select(i => FairlaneSettings.ReadEnvFile(Path.Combine(etc, $"{i}.env"))["FAIRLANE__ADMIN__PORT"]);
        Assert.Equal(new[] { "9501", "9502", "9503" }, adminPorts);

        // The apphost is told where .NET is, and that directory really holds it.
        var dropIn = File.ReadAllText(Path.Combine(units, "fairlane@.service.d", "10-dotnet-root.conf"));
        var dotnetRoot = dropIn.Split('\n').Single(l => l.StartsWith("Environment=DOTNET_ROOT=", StringComparison.Ordinal))["Environment=DOTNET_ROOT=".Length..];
        Assert.True(File.Exists(Path.Combine(dotnetRoot, "dotnet")), dropIn);

        File.AppendAllText(Path.Combine(etc, "fairlane.env"), "FAIRLANE__KAFKA__GROUPID=operators-choice\n");
        File.WriteAllText(Path.Combine(etc, "2.env"), "FAIRLANE__HTTP__METRICSPORT=9555\n");
        var second = await InstallAsync(root, "--instances", "3");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.EndsWith("FAIRLANE__KAFKA__GROUPID=operators-choice\n", File.ReadAllText(Path.Combine(etc, "fairlane.env")));
        Assert.Equal("9555", MetricsPort(Path.Combine(etc, "2.env")));
        Assert.Equal(4, Directory.GetFiles(etc, "*.env").Length);
    }

    [Theory]
    [InlineData("--instances", "many")]
    [InlineData("--instances", "101")]
    [InlineData("--frobnicate")]
    public async Task A_bad_option_is_refused(params string[] args)
    {
        using var root = DeployFiles.TempDirectory("fl-install");

        var result = await InstallAsync(root, args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(root.FullName));
    }

    private static Task<ExternalTool.Result> InstallAsync(TempDirectory root, params string[] args) =>
        ExternalTool.RunAsync("bash", [DeployFiles.Systemd("install.sh"), "--destdir", root.FullName, "--no-publish", .. args], Deadline);

    private static string MetricsPort(string envFile) =>
        File.ReadLines(envFile).Single(l => l.StartsWith("FAIRLANE__HTTP__METRICSPORT=", StringComparison.Ordinal)).Split('=')[1];
}
