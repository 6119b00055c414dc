using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// One running `fairlane run` process, as systemd would start it (NOTIFY_SOCKET and WATCHDOG_USEC
/// set), on its own embedded Kafka cluster and database, that has processed some demo events.
/// </summary>
public sealed class LiveWorkerFixture : IAsyncLifetime
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    internal const int FirstEvents = 50;

    private TestStack? _stack;
    private WorkerProcess? _worker;

    internal NotifySocket Notify { get; } = new();
    internal int MetricsPort { get; } = FreePort.Next();

    /// <summary>The settings of the worker and of the CLI commands run beside it (no systemd variables).</summary>
    internal Dictionary<string, string> Environment { get; private set; } = [];

    internal WorkerProcess Worker => _worker!;

    public async Task InitializeAsync()
    {
        // The daemon migrates on start.
        _stack = await new StackBuilder().Kafka(1, 3).Database(migrate: false).InProcessWorkers(0).StartAsync();
        Environment = _stack.SettingsFor(inProcess: false, MetricsPort).ToEnvironment();

        // 400 ms watchdog: the daemon should ping every 200 ms.
        var underSystemd = new Dictionary<string, string>(Environment) { ["NOTIFY_SOCKET"] = Notify.Path, ["WATCHDOG_USEC"] = "400000" };
        _worker = WorkerProcess.Start(["run"], underSystemd);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort}"), Timeout = TimeSpan.FromSeconds(5) };
        // Ready means migrated too: the demo command registers its tenants in the daemon's schema.
        await Eventually.WaitAsync(() => Fairlane.Tests.Worker.ProcessTests.Get(http, "/readyz"), r => r.Status == 200 || _worker.HasExited,
            Deadline, "/readyz to answer 200");
        Assert.False(_worker.HasExited, $"the worker exited:\n{_worker.StandardError}");
        using var metrics = new MetricsScrape(MetricsPort);
        await SendDemoEventsAsync(FirstEvents);
        await Eventually.WaitAsync(() => metrics.ReadAsync("fairlane_events_processed_total{agent=\"watcher\"}"), v => v >= FirstEvents || _worker.HasExited,
            Deadline, $"the worker to process {FirstEvents} events");
        Assert.False(_worker.HasExited, $"the worker exited:\n{_worker.StandardError}");
    }

    /// <summary>`fairlane produce --demo N` against the worker's cluster (it registers the demo tenants).</summary>
    internal async Task SendDemoEventsAsync(int count)
    {
        var produce = await WorkerProcess.RunToEndAsync(["produce", "--demo", count.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment, Deadline);
        Assert.True(produce.ExitCode == 0, produce.Stderr);
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        if (_stack is not null) await _stack.DisposeAsync();
        Notify.Dispose();
    }
}
