using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Hosting;

/// <summary>
/// Keeps systemd's watchdog (<c>WatchdogSec=</c>) fed: sends <c>WATCHDOG=1</c> every half interval while
/// the node is healthy. <c>AddSystemd</c> only sends READY and STOPPING, so without this a unit with a
/// watchdog would be killed every interval; pinging unconditionally would make the watchdog useless.
/// </summary>
/// <remarks>
/// Healthy means no background service has faulted. A wedged process (a deadlock, a starved thread
/// pool) stops pinging by itself, because the timer never gets to run; once a service has faulted the
/// pings stop for good, so a shutdown that hangs is still ended by systemd. An unreachable Kafka,
/// PostgreSQL or Redis does not stop the pings: a restart cannot fix those, and /readyz reports them.
/// Registered before the engine's services, it starts first (and so pings through migrations) and
/// stops last (and so pings while the others drain).
/// </remarks>
internal sealed partial class SystemdWatchdog : BackgroundService
{
    /// <summary>The keep-alive message of sd_notify(3).</summary>
    public static readonly ServiceState Ping = new("WATCHDOG=1");

    private readonly ISystemdNotifier _notifier;
    private readonly TimeSpan? _interval;
    private readonly Func<bool> _healthy;
    private readonly ILogger _logger;

    public SystemdWatchdog(IServiceProvider services, ILogger<SystemdWatchdog> logger)
        : this(
            // AddSystemd registers a notifier only when systemd is our parent; WATCHDOG_USEC and
            // NOTIFY_SOCKET are what really say whether a watchdog is waiting for us.
            services.GetService<ISystemdNotifier>() ?? new SystemdNotifier(),
            PingInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId),
            () => HostFaults.FirstFault(services) is null,
            logger)
    {
    }

    internal SystemdWatchdog(ISystemdNotifier notifier, TimeSpan? interval, Func<bool> healthy, ILogger logger)
    {
        _notifier = notifier;
        _interval = interval;
        _healthy = healthy;
        _logger = logger;
    }

    /// <summary>
    /// Half the watchdog interval systemd gave us, or null when there is no watchdog for this process:
    /// no or an invalid <c>WATCHDOG_USEC</c>, or a <c>WATCHDOG_PID</c> naming another process (the rules of
    /// sd_watchdog_enabled(3)).
    /// </summary>
    public static TimeSpan? PingInterval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0) return null;
        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId)) return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval is not { } interval || !_notifier.IsEnabled) return;
        LogFeeding(_logger, interval);
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                if (!_healthy())
                {
                    LogStarved(_logger);
                    return;
                }
                _notifier.Notify(Ping);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: sending WATCHDOG=1 every {Interval}")]
    private static partial void LogFeeding(ILogger logger, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Critical, Message = "systemd watchdog: a service has faulted, so the watchdog is no longer fed")]
    private static partial void LogStarved(ILogger logger);
}
