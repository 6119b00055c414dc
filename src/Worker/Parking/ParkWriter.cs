using System.Threading.Channels;
using Fairlane.Partitioning.Parking;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Parking;

/// <summary>
/// Writes parked events to PostgreSQL in batches, in the order they were parked, then completes
/// their offsets: a parked event is as safe as a processed one, so the committed offset moves on
/// while a hot tenant's backlog waits in the park. A failed batch is retried; nothing is dropped
/// (the batch stays buffered, and the backpressure gate pauses intake if the park falls behind).
/// </summary>
internal sealed partial class ParkWriter(FairEngine engine, ParkStore store, IOptions<EngineOptions> options, ILogger<ParkWriter> logger) : BackgroundService
{
    private readonly Channel<(EngineEvent Event, string Reason)> _queue =
        Channel.CreateUnbounded<(EngineEvent, string)>(new UnboundedChannelOptions { SingleReader = true });

    // Only a transient failure is retried: anything else is a bug, and stops the node.
    private readonly Polly.ResiliencePipeline _retry = RetryPolicies.ParkWrites.Build(TransientErrors.IsTransient);

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
        await _retry.ExecuteAsync(async ct =>
        {
            try
            {
                await store.WriteAsync(batch, ct);
            }
            catch (Exception ex) when (TransientErrors.IsTransient(ex) && !ct.IsCancellationRequested)
            {
                LogParkFailed(logger, ex, batch.Count);
                throw;
            }
        }, stoppingToken);
        foreach (var (e, reason) in batch)
        {
            FairlaneMetrics.EventsParked.WithLabels(reason).Inc();
            engine.InTransitDone(EngineEventOrigin.Of(e), parked: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parking {Count} event(s) failed; retrying")]
    private static partial void LogParkFailed(ILogger logger, Exception ex, int count);
}
