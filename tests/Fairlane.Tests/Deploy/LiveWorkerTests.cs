using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// The deployment pieces against a real running worker: a real Prometheus scraping it with the
/// repository's rules, the systemd watchdog protocol, and the container health check command.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LiveWorkerTests(LiveWorkerFixture live) : IClassFixture<LiveWorkerFixture>
{
    private static readonly TimeSpan Deadline = LiveWorkerFixture.Deadline;

    [Fact(Timeout = 120_000)]
    public async Task Prometheus_scrapes_the_worker_and_its_query_api_returns_fairlane_series_and_recorded_rules()
    {
        await using var prometheus = await PrometheusServer.StartAsync(live.MetricsPort, Deadline);

        var processed = await Eventually.WaitAsync(() => prometheus.QueryAsync("fairlane_events_processed_total{job=\"fairlane\",agent=\"watcher\"}"),
            r => r.Count == 1 && r[0].Value >= LiveWorkerFixture.FirstEvents, Deadline, "Prometheus to have scraped the processed events");
        Assert.Equal($"127.0.0.1:{live.MetricsPort}", processed[0].Labels["instance"]);
        Assert.Equal(1, (await prometheus.QueryAsync("up{job=\"fairlane\"}")).Single().Value);
        var fairlaneSeries = await prometheus.QueryAsync("count({__name__=~\"fairlane_.+\",job=\"fairlane\"})");
        Assert.True(fairlaneSeries.Single().Value >= 20, $"only {fairlaneSeries.Single().Value} fairlane_ series");

        // Events processed while Prometheus watches make the recorded fleet throughput positive:
        // the repository's recording rules ran over the daemon's real series.
        await live.SendDemoEventsAsync(30);
        await Eventually.WaitAsync(() => prometheus.QueryAsync("agent:fairlane_events_processed:rate5m{agent=\"watcher\"}"),
            r => r.Count == 1 && r[0].Value > 0, Deadline, "the recorded throughput to rise above 0");
        var uptime = await Eventually.WaitAsync(() => prometheus.QueryAsync("fleet:fairlane_uptime_seconds:max"),
            r => r.Count == 1, Deadline, "the fleet uptime (process_start_time_seconds) to be recorded");
        Assert.InRange(uptime.Single().Value, 0, 3600);

        // Every rule of every file loaded and evaluated without an error.
        var rules = await Eventually.WaitAsync(prometheus.RulesAsync, r => r.Count > 0 && r.All(x => x.Health != "unknown"), Deadline, "every rule to be evaluated");
        Assert.Equal(RuleFiles.All.Count, rules.Count);
        Assert.All(rules, r => Assert.True(r.Health == "ok", $"{r.Name}: {r.Health} {r.Error}"));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_worker_feeds_the_systemd_watchdog_while_it_is_healthy()
    {
        await Eventually.WaitAsync(() => live.Notify.Messages.Count >= 3, Deadline, "three WATCHDOG=1 messages on NOTIFY_SOCKET");

        Assert.All(live.Notify.Messages, m => Assert.Equal("WATCHDOG=1", m));
        Assert.False(live.Worker.HasExited);
    }

    [Fact(Timeout = 120_000)]
    public async Task Healthcheck_exits_0_while_the_worker_answers_and_1_when_nothing_listens()
    {
        var healthy = await WorkerProcess.RunToEndAsync(["healthcheck"], live.Environment, Deadline);
        Assert.True(healthy.ExitCode == 0, healthy.Stderr);

        var closedPort = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nothing = await WorkerProcess.RunToEndAsync(["healthcheck"],
            new Dictionary<string, string>(live.Environment) { ["FAIRLANE__HTTP__METRICSPORT"] = closedPort }, Deadline);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains($"127.0.0.1:{closedPort}/healthz", nothing.Stderr);
    }
}
