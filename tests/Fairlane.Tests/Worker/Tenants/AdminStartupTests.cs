using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>The admin API's settings at startup: a missing token or a shared port stops it, naming the setting (the rules themselves: AdminOptionsValidatorTests).</summary>
public sealed class AdminStartupTests
{
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

    [Fact(Timeout = 120_000)]
    public async Task A_missing_admin_token_stops_the_host_naming_the_setting_and_its_variable()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => FairlaneHost.Build(ValidArgs())));
        Assert.Contains("Admin:Token (FAIRLANE__ADMIN__TOKEN) is required", ex.Message);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_missing_admin_token_makes_the_process_exit_3_naming_it()
    {
        await using var stack = await new StackBuilder().NoKafka().NoDatabase().InProcessWorkers(0).StartAsync();

        var (code, _, stderr) = await stack.RunCliAsync(["run"], TimeSpan.FromSeconds(60), s => s.Remove("Admin:Token"));

        Assert.Equal(3, code);
        Assert.Contains("Admin:Token (FAIRLANE__ADMIN__TOKEN)", stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_admin_port_must_differ_from_the_metrics_port()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => FairlaneHost.Build(
            ValidArgs("--Http:MetricsPort=9555", "--Admin:Port=9555", "--Admin:Token=" + InProcessWorker.AdminToken))));
        Assert.Contains("Admin:Port (FAIRLANE__ADMIN__PORT) must differ from Http:MetricsPort", ex.Message);
    }

    [Fact(Timeout = 120_000)]
    [Trait("Category", "Integration")]
    public async Task With_the_admin_api_disabled_a_node_starts_without_a_token_and_opens_no_admin_port()
    {
        var adminPort = FreePort.Next();
        await using var stack = await new StackBuilder().Kafka(1, 6)
            .With("Admin:Enabled", false)
            .With("Admin:Token", "")
            .With("Admin:Port", adminPort)
            .StartAsync();

        using var admin = new AdminClient(adminPort);
        await Assert.ThrowsAsync<HttpRequestException>(() => admin.GetAsync("/admin/healthz"));
    }
}
