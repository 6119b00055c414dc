using System.Threading.Channels;
using Fairlane.Partitioning.Parking;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Engine.Parking;

/// <summary>
/// Writes parked events to PostgreSQL in batches, in the order they were parked, then completes
/// their offsets: a parked event is as safe as a processed one, so the committed offset moves on
/// while a hot tenant's backlog waits in the park. A failed batch is retried; nothing is dropped
/// (the batch stays buffered, and the backpressure gate pauses intake if the park falls behind).
/// </summary>
internal sealed class ParkWriter(FairEngine engine, ParkStore store, IOptions<EngineOptions> options, ILogger<ParkWriter> logger) : BackgroundService
{
    private readonly Channel<(EngineEvent Event, string Reason)> _queue =
        Channel.CreateUnbounded<(EngineEvent, string)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Called once the engine counted the event's park write as started: by intake after
    /// <see cref="FairEngine.Admit"/> said to park, and for a paused tenant's spilled queue. Never blocks.
    /// </summary>
    public void Enqueue(EngineEvent e, ParkReason reason)
    {
        if (!_queue.Writer.TryWrite((e, Label(reason))))
            throw new InvalidOperationException("The park writer has stopped.");
    }

    // Also the reason stored with the row and the metric label.
    private static string Label(ParkReason reason) => reason switch
    {
        ParkReason.Paused => "paused",
        ParkReason.OverCap => "over-cap",
        _ => "behind-parked",
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(EngineEvent Event, string Reason)>(options.Value.ParkBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.ParkBatchSize && _queue.Reader.TryRead(out var next)) batch.Add(next);
                await WriteWithRetryAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Unwritten events were never completed: they are re-delivered after restart.
        }
    }

    private async Task WriteWithRetryAsync(List<(EngineEvent Event, string Reason)> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.WriteAsync(batch, stoppingToken);
                foreach (var (e, reason) in batch)
                {
                    FairlaneMetrics.EventsParked.WithLabels(reason).Inc();
                    engine.InTransitDone(EngineEventOrigin.Of(e), parked: true);
                }
                return;
            }
            catch (Exception ex) when (EventPipeline.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                var delay = RetryDelay.Exponential(attempt, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
                logger.LogWarning(ex, "Parking {Count} event(s) failed (attempt {Attempt}); retrying in {DelayMs} ms", batch.Count, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
