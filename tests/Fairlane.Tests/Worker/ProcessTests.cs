using System.Text.RegularExpressions;
using Fairlane.Contracts;
using Fairlane.DevKafka;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker;

/// <summary>The `fairlane` executable as an operator runs it: exit codes, messages, the demo, metrics, shutdown.</summary>
[Trait("Category", "Integration")]
public sealed partial class ProcessTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> ValidEnvironment(TestDatabase? db, string bootstrap, string prefix, int metricsPort) =>
        WorkerEnvironment.For(db, bootstrap, prefix, metricsPort);

    [Theory]
    [InlineData("FAIRLANE__KAFKA__BOOTSTRAPSERVERS", "", "Kafka:BootstrapServers")]
    [InlineData("FAIRLANE__KAFKA__PARTITIONS", "lots", "Kafka:Partitions")]
    [InlineData("FAIRLANE__KAFKA__SESSIONTIMEOUTMS", "5", "Kafka:SessionTimeoutMs")]
    [InlineData("FAIRLANE__KAFKA__DEADLETTERMAXMESSAGEBYTES", "10", "Kafka:DeadLetterMaxMessageBytes")]
    [InlineData("FAIRLANE__POSTGRES__CONNECTIONSTRING", "", "Postgres:ConnectionString")]
    [InlineData("FAIRLANE__REDIS__ENDPOINTS__0", "no-port", "Redis:Endpoints:0")]
    [InlineData("FAIRLANE__HTTP__METRICSPORT", "70000", "Http:MetricsPort")]
    [InlineData("FAIRLANE__WORKER__AGENTS__0", "janitor", "Worker:Agents")]
    [InlineData("FAIRLANE__CHANNELS__CREDENTIALKEY", "too-short", "Channels:CredentialKey")]
    [InlineData("FAIRLANE__CHANNELS__RESILIENCE__MAXRETRYATTEMPTS", "-1", "Channels:Resilience:MaxRetryAttempts")]
    [InlineData("FAIRLANE__AGENTS__OUTBOXBATCHSIZE", "0", "Agents:OutboxBatchSize")]
    [InlineData("FAIRLANE__RETENTION__PROCESSEDEVENTSDAYS", "0", "Retention:ProcessedEventsDays")]
    public async Task An_invalid_setting_stops_startup_with_a_message_naming_it(string variable, string value, string setting)
    {
        var environment = ValidEnvironment(null, "127.0.0.1:1", "p", FreePort.Next());
        environment[variable] = value;

        var (code, _, stderr) = await WorkerProcess.RunToEndAsync(["run"], environment, ExitDeadline);

        Assert.Equal(3, code);
        Assert.Contains(setting, stderr);
    }

    [Fact]
    public async Task An_unreachable_database_at_start_exits_non_zero()
    {
        var environment = ValidEnvironment(null, "127.0.0.1:1", "p", FreePort.Next());
        var closedPort = FreePort.Next();
        environment["FAIRLANE__POSTGRES__OWNERCONNECTIONSTRING"] = $"Host=127.0.0.1;Port={closedPort};Database=x;Username=u;Password=p;Timeout=3";

        var (code, _, stderr) = await WorkerProcess.RunToEndAsync(["run"], environment, ExitDeadline);

        Assert.Equal(1, code);
        Assert.Contains("stopped", stderr);
    }

    [Fact]
    public async Task Help_prints_commands_and_exit_codes_and_a_bad_command_is_a_usage_error()
    {
        var help = await WorkerProcess.RunToEndAsync(["--help"], new Dictionary<string, string>(), ExitDeadline);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("produce --demo N", help.Stdout);
        Assert.Contains("Exit codes", help.Stdout);

        var bad = await WorkerProcess.RunToEndAsync(["frobnicate"], new Dictionary<string, string>(), ExitDeadline);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Unknown command", bad.Stderr);
    }

    [Fact]
    public async Task Migrate_command_is_safe_to_run_twice()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var environment = ValidEnvironment(db, "127.0.0.1:1", "p", FreePort.Next());

        Assert.Equal(0, (await WorkerProcess.RunToEndAsync(["migrate"], environment, ExitDeadline)).ExitCode);
        Assert.Equal(0, (await WorkerProcess.RunToEndAsync(["migrate"], environment, ExitDeadline)).ExitCode);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations") >= 1);
    }

    [Fact]
    public async Task Demo_events_are_processed_and_counted_in_metrics_and_SIGTERM_exits_cleanly()
    {
        using var cluster = MockCluster.Start(brokers: 3);
        var topics = new Topics(TestServers.UniqueName("t"));
        cluster.CreateTopics(topics.All, 24);
        await using var db = await TestDatabase.CreateAsync(migrate: false); // the daemon migrates on start
        var port = FreePort.Next();
        var environment = ValidEnvironment(db, cluster.BootstrapServers, topics.Prefix, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };

        await using var daemon = WorkerProcess.Start(["run"], environment);
        await Eventually.WaitAsync(() => Get(http, "/readyz"), r => r.Status == 200, ExitDeadline, "/readyz to answer 200");

        var produce = await WorkerProcess.RunToEndAsync(["produce", "--demo", "1000"], environment, ExitDeadline);
        Assert.True(produce.ExitCode == 0, produce.Stderr);

        var metrics = await Eventually.WaitAsync(() => Get(http, "/metrics"), r => ProcessedTotal(r.Body) >= 1000, ExitDeadline,
            "fairlane_events_processed_total to reach 1000");
        Assert.Equal(1000, ProcessedTotal(metrics.Body));
        Assert.Equal(1000L, await db.ScalarAsync<long>("SELECT count(*) FROM processed_events"));
        Assert.Equal(200, (await Get(http, "/healthz")).Status);

        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(ExitDeadline));
    }

    internal static async Task<(int Status, string Body)> Get(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            // Not listening yet, or a node still starting on a loaded machine did not answer within the
            // client's timeout: callers poll, so both mean "not yet".
            return (0, "");
        }
    }

    internal static double ProcessedTotal(string metrics) =>
        ProcessedLine().Match(metrics) is { Success: true } m ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("""^fairlane_events_processed_total\{agent="watcher"\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex ProcessedLine();
}
