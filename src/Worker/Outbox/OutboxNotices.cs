using Fairlane.Agents.Signals;
using Fairlane.Worker.Infrastructure;
using Npgsql;

namespace Fairlane.Worker.Outbox;

/// <summary>
/// Why the relay looked at the outbox again after finding nothing: a transaction wrote to it (the
/// outbox trigger's notice), or its poll interval passed.
/// </summary>
internal enum OutboxWakeCause
{
    Notify,
    Poll,
}

/// <summary>
/// Keeps one dedicated owner connection that LISTENs on the outbox channel, so the relay can sleep
/// until a transaction that wrote to the outbox commits. Notices are only a hint: while the session is
/// down they are lost, so every (re)connection also wakes the relay once, and the relay keeps its poll.
/// A session that breaks is opened again with the outbox retry policy's delays.
/// </summary>
internal sealed partial class OutboxNotices(DataSources dataSources, ILogger logger) : IDisposable
{
    public const string Channel = "fairlane_outbox";

    // A session that lived this long was healthy: its loss starts the reconnect delays afresh.
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(30);

    // At most one wake-up pending: many notices while the relay is busy mean one more look, not many.
    private readonly WakeSignal _signal = new();

    public void Dispose() => _signal.Dispose();

    /// <summary>Listens until <paramref name="stoppingToken"/> fires, reconnecting whenever the session drops.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures = started.Elapsed >= HealthySession ? 1 : failures + 1;
                var delay = RetryPolicies.Outbox.DelayFor(failures);
                LogListenLost(logger, ex, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Waits until a notice arrived (or one arrived since the last wait) or <paramref name="poll"/> passed.
    /// </summary>
    public async Task<OutboxWakeCause> WaitAsync(TimeSpan poll, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(poll, cancellationToken) ? OutboxWakeCause.Notify : OutboxWakeCause.Poll;

    // One session: returns only by throwing (the connection broke, or shutdown).
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSources.Owner.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => Signal();
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        // Rows may have been written while no session listened: have the relay look once now.
        Signal();
        LogListening(logger);
        while (true) await connection.WaitAsync(stoppingToken);
    }

    // A wake-up already pending covers this one: the relay reads every unsent row when it takes it.
    private void Signal() => _signal.Wake();

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for outbox notices")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The outbox listening session was lost; the relay polls meanwhile, reconnecting in {DelayMs:F0} ms")]
    private static partial void LogListenLost(ILogger logger, Exception ex, double delayMs);
}
