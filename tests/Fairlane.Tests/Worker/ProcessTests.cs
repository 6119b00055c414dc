using System.Text.RegularExpressions;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker;

/// <summary>The `fairlane` executable as an operator runs it: exit codes, messages, the demo, metrics, shutdown.</summary>
[Trait("Category", "Integration")]
public sealed partial class ProcessTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);

    // Settings for a node that never reaches Kafka or a database of its own: each test breaks one thing.
    private static Task<TestStack> StartAsync() => new StackBuilder().NoKafka().NoDatabase().InProcessWorkers(0).StartAsync();

    // Each setting's rule is tested without a host (SettingValidationTests); these two rows show that the
    // process stops with the documented exit code 3 naming the setting, for a rule and for a value that
    // does not even convert.
    [Theory(Timeout = 120_000)]
    [InlineData("Kafka:BootstrapServers", "", "Kafka:BootstrapServers")]
    [InlineData("Kafka:Partitions", "lots", "Kafka:Partitions")]
    public async Task An_invalid_setting_stops_startup_with_a_message_naming_it(string key, string value, string setting)
    {
        await using var stack = await StartAsync();

        var (code, _, stderr) = await stack.RunCliAsync(["run"], ExitDeadline, s => s.Set(key, value));

        Assert.Equal(3, code);
        Assert.Contains(setting, stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unreachable_database_at_start_exits_non_zero()
    {
        await using var stack = await StartAsync();
        var closedPort = FreePort.Next();

        var (code, _, stderr) = await stack.RunCliAsync(["run"], ExitDeadline, s =>
            s.Set("Postgres:OwnerConnectionString", $"Host=127.0.0.1;Port={closedPort};Database=x;Username=u;Password=p;Timeout=3"));

        Assert.Equal(1, code);
        Assert.Contains("stopped", stderr);
    }

    [Fact(Timeout = 120_000)]
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

    [Fact(Timeout = 120_000)]
    public async Task Migrate_command_is_safe_to_run_twice()
    {
        await using var stack = await new StackBuilder().NoKafka().Database(migrate: false).InProcessWorkers(0).StartAsync();

        Assert.Equal(0, (await stack.RunCliAsync(["migrate"], ExitDeadline)).ExitCode);
        Assert.Equal(0, (await stack.RunCliAsync(["migrate"], ExitDeadline)).ExitCode);
        Assert.True(await stack.Db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations") >= 1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Demo_events_are_processed_and_counted_in_metrics_and_SIGTERM_exits_cleanly()
    {
        // The daemon migrates on start.
        await using var stack = await new StackBuilder().Kafka(3, 24).Database(migrate: false).InProcessWorkers(0).StartAsync();
        var db = stack.Db;
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };

        var daemon = stack.StartProcess(port);
        await Eventually.WaitAsync(() => Get(http, "/readyz"), r => r.Status == 200, ExitDeadline, "/readyz to answer 200");

        var produce = await stack.RunCliAsync(["produce", "--demo", "1000"], ExitDeadline);
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
