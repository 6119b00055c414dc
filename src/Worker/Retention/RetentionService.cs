using Fairlane.Worker.Configuration;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fairlane.Worker.Retention;

/// <summary>
/// Runs retention every <see cref="RetentionOptions.IntervalMinutes"/> on every node; the runner's
/// lock lets one node at a time do the work, so any node may go away without retention stopping.
/// A failed run (PostgreSQL unreachable) is logged and counted, and the next interval tries again:
/// the rows wait, nothing is lost.
/// </summary>
internal sealed partial class RetentionService(RetentionRunner runner, IOptions<RetentionOptions> options, ILogger<RetentionService> logger)
    : BackgroundService
{
    // Not at once on start: a fleet restarting together (or a test host living seconds) should not
    // all contend at the same moment; a node that restarts often still runs within a minute.
    private static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(options.Value.IntervalMinutes);
        try
        {
            await Task.Delay(FirstRunDelay, stoppingToken);
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    await runner.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    FairlaneMetrics.RetentionRuns.WithLabels("failed").Inc();
                    LogRunFailed(logger, ex, options.Value.IntervalMinutes);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; an interrupted run released its lock and committed its finished batches.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; trying again in {IntervalMinutes} min")]
    private static partial void LogRunFailed(ILogger logger, Exception ex, int intervalMinutes);
}
