using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>The admin API's settings: a missing or weak token stops startup, naming the setting.</summary>
public sealed class AdminStartupTests
{
    private static string Failures(AdminOptions options) =>
        new AdminOptionsValidator().Validate(Options.DefaultName, options) is { Failed: true } r ? string.Join("\n", r.Failures) : "";

    private static string[] ValidArgs(params string[] extra) =>
    [
        "--Kafka:BootstrapServers=127.0.0.1:1",
        "--Postgres:ConnectionString=Host=127.0.0.1;Database=x",
        "--Postgres:OwnerConnectionString=Host=127.0.0.1;Database=x",
        "--Redis:Endpoints:0=127.0.0.1:1",
        $"--Http:MetricsPort={FreePort.Next()}",
        $"--Admin:Port={FreePort.Next()}",
        .. extra,
    ];

    [Fact]
    public void A_missing_admin_token_stops_the_host_naming_the_setting_and_its_variable()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => FairlaneHost.Build(ValidArgs()));
        Assert.Contains("Admin:Token (FAIRLANE__ADMIN__TOKEN) is required", ex.Message);
    }

    [Fact]
    public async Task A_missing_admin_token_makes_the_process_exit_3_naming_it()
    {
        var environment = WorkerEnvironment.For(null, "127.0.0.1:1", "p", FreePort.Next());
        environment.Remove("FAIRLANE__ADMIN__TOKEN");

        var (code, _, stderr) = await WorkerProcess.RunToEndAsync(["run"], environment, TimeSpan.FromSeconds(60));

        Assert.Equal(3, code);
        Assert.Contains("Admin:Token (FAIRLANE__ADMIN__TOKEN)", stderr);
    }

    [Theory]
    [InlineData("s3cr3t-tok", "too short")]
    [InlineData("a token with spaces in it, which is long enough", "must not contain spaces")]
    [InlineData("   ", "is required")]
    public void A_weak_token_is_refused_and_never_echoed(string token, string problem)
    {
        var failures = Failures(new AdminOptions { Token = token });
        Assert.Contains("Admin:Token (FAIRLANE__ADMIN__TOKEN)", failures);
        Assert.Contains(problem, failures);
        if (token.Trim().Length > 0) Assert.DoesNotContain(token, failures);
    }

    [Fact]
    public void Disabled_admin_api_needs_no_token_and_port_and_bind_address_are_checked()
    {
        Assert.Equal("", Failures(new AdminOptions { Enabled = false }));
        Assert.Equal("", Failures(new AdminOptions { Token = new string('k', AdminOptions.MinTokenLength) }));
        Assert.Contains("Admin:Port", Failures(new AdminOptions { Token = new string('k', 40), Port = 0 }));
        Assert.Contains("Admin:BindAddress", Failures(new AdminOptions { Token = new string('k', 40), BindAddress = "localhost" }));
    }

    [Fact]
    public void The_admin_port_must_differ_from_the_metrics_port()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => FairlaneHost.Build(
            ValidArgs("--Http:MetricsPort=9555", "--Admin:Port=9555", "--Admin:Token=" + InProcessWorker.AdminToken)));
        Assert.Contains("Admin:Port (FAIRLANE__ADMIN__PORT) must differ from Http:MetricsPort", ex.Message);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task With_the_admin_api_disabled_a_node_starts_without_a_token_and_opens_no_admin_port()
    {
        using var cluster = Fairlane.DevKafka.MockCluster.Start(1);
        await using var db = await TestDatabase.CreateAsync();
        var adminPort = FreePort.Next();
        await using var worker = await InProcessWorker.StartAsync(db, cluster.BootstrapServers, TestServers.UniqueName("t"),
            "--Admin:Enabled=false", "--Admin:Token=", $"--Admin:Port={adminPort}");

        using var admin = new AdminClient(adminPort);
        await Assert.ThrowsAsync<HttpRequestException>(() => admin.GetAsync("/admin/healthz"));
    }
}
