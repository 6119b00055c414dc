using System.Collections.Concurrent;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fairlane.Tests.Deploy;

/// <summary>The watchdog keep-alive: when it is on, how often it pings, and that a faulted node stops feeding it.</summary>
public sealed class SystemdWatchdogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("30000000", null, 15_000)]        // WatchdogSec=30: ping every 15 s
    [InlineData("400000", "4242", 200)]           // WATCHDOG_PID is ours
    [InlineData(null, null, null)]                // no WatchdogSec=
    [InlineData("0", null, null)]
    [InlineData("soon", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("30000000", "1", null)]           // meant for another process (sd_watchdog_enabled)
    [InlineData("30000000", "x", null)]
    public void Pings_at_half_the_interval_systemd_gave_this_process(string? usec, string? pid, int? expectedMs)
    {
        var interval = SystemdWatchdog.PingInterval(usec, pid, processId: 4242);

        Assert.Equal(expectedMs, interval is { } i ? (int)i.TotalMilliseconds : null);
    }

    [Fact]
    public async Task A_healthy_node_keeps_sending_WATCHDOG_1()
    {
        var notifier = new RecordingNotifier();
        using var watchdog = new SystemdWatchdog(notifier, TimeSpan.FromMilliseconds(20), () => true, NullLogger.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => notifier.Sent.Count >= 3, Deadline, "three watchdog pings");
        await watchdog.StopAsync(CancellationToken.None);

        Assert.All(notifier.Sent, s => Assert.Equal("WATCHDOG=1", s));
    }

    [Fact]
    public async Task Pings_stop_for_good_once_a_service_has_faulted()
    {
        var notifier = new RecordingNotifier();
        var healthy = true;
        using var watchdog = new SystemdWatchdog(notifier, TimeSpan.FromMilliseconds(20), () => Volatile.Read(ref healthy), NullLogger.Instance);
        await watchdog.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => notifier.Sent.Count >= 2, Deadline, "the first pings");

        Volatile.Write(ref healthy, false);
        await watchdog.ExecuteTask!.WaitAsync(Deadline);
        var sent = notifier.Sent.Count;
        await watchdog.StopAsync(CancellationToken.None);

        Assert.True(watchdog.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(sent, notifier.Sent.Count);
    }

    [Fact]
    public async Task Nothing_is_sent_without_a_watchdog_or_without_a_notify_socket()
    {
        var noInterval = new RecordingNotifier();
        var noSocket = new RecordingNotifier { IsEnabled = false };
        using var a = new SystemdWatchdog(noInterval, null, () => true, NullLogger.Instance);
        using var b = new SystemdWatchdog(noSocket, TimeSpan.FromMilliseconds(20), () => true, NullLogger.Instance);

        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        await Task.WhenAll(a.ExecuteTask!, b.ExecuteTask!).WaitAsync(Deadline);

        Assert.Empty(noInterval.Sent);
        Assert.Empty(noSocket.Sent);
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly ConcurrentQueue<string> _sent = new();
        public IReadOnlyCollection<string> Sent => _sent;
        public bool IsEnabled { get; init; } = true;
        public void Notify(ServiceState state) => _sent.Enqueue(state.ToString());
    }
}
