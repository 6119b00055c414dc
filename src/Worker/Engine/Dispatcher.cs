using System.Diagnostics;
using Fairlane.Contracts;
using Fairlane.Partitioning.Scheduling;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine.Parking;
using Fairlane.Worker.Intake;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Engine;

/// <summary>
/// The node's worker pool: each worker takes the next event the fair scheduler allows (with the
/// same tenant's following events when they may share a transaction), runs it through the pipeline, and reports the measured cost back so the tenant is charged for it.
/// Transient failures go back to the scheduler with backoff (holding only their ordering key);
/// permanent ones and exhausted retries are dead-lettered. No event is dropped.
/// </summary>
internal sealed partial class Dispatcher(
    FairEngine engine, EventPipeline pipeline, DeadLetterPublisher deadLetters, ParkCleaner parkCleaner,
    IOptions<EngineOptions> options, ILogger<Dispatcher> logger) : BackgroundService
{
    private readonly EngineOptions _options = options.Value;

    // A worker that dies stops the node rather than leave it quietly a worker short.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ServiceLoops.RunAsync("The worker pool",
            Enumerable.Range(0, _options.Workers).Select(_ => (Func<CancellationToken, Task>)(ct => Task.Run(() => WorkAsync(ct), ct))).ToList(),
            stoppingToken);

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            List<WorkItem<EngineEvent>> batch;
            try
            {
                batch = await engine.TakeAsync(_options.MaxBatchSize, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (batch.Count == 1) await RunAsync(batch[0], stoppingToken);
            else await RunBatchAsync(batch, stoppingToken);
        }
    }

    private async Task RunAsync(WorkItem<EngineEvent> item, CancellationToken stoppingToken)
    {
        var e = item.Payload;
        var agent = e.Handler.Agent;
        var started = Stopwatch.GetTimestamp();
        PipelineResult result;
        try
        {
            result = await pipeline.ProcessAsync(e, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-event: its transaction rolled back; it is re-delivered.
            engine.Retry(item, Stopwatch.GetElapsedTime(started), TimeSpan.Zero);
            return;
        }
        var cost = Stopwatch.GetElapsedTime(started);
        FairlaneMetrics.ProcessingDuration.WithLabels(agent).Observe(cost.TotalSeconds);

        switch (result)
        {
            case PipelineResult.Processed or PipelineResult.Duplicate:
                Done(item, result, cost);
                break;
            case PipelineResult.Transient transient when item.Attempts + 1 < _options.MaxAttempts:
                FairlaneMetrics.ProcessingFailures.WithLabels(agent).Inc();
                var delay = Backoff(item.Attempts + 1);
                LogRetry(logger, transient.Error, e.Tenant, e.Envelope.Id, item.Attempts + 1, delay.TotalMilliseconds);
                engine.Retry(item, cost, delay);
                break;
            case PipelineResult.Transient transient:
                await RejectAsync(item, new DeadLetter(DeadLetterReasons.RetriesExhausted, transient.Error.Message, item.Attempts + 1,
                    transient.Error.GetType().FullName), cost, stoppingToken);
                break;
            case PipelineResult.Rejected rejected:
                await RejectAsync(item, rejected.Letter with { Attempts = item.Attempts + 1 }, cost, stoppingToken);
                break;
        }
    }

    // A run of one tenant's events in one transaction. The time it took is shared evenly between its
    // events. If it fails, it rolled back as a whole; its events then run one by one, so the failure
    // is retried or dead-lettered for the event that caused it and no other.
    private async Task RunBatchAsync(List<WorkItem<EngineEvent>> batch, CancellationToken stoppingToken)
    {
        var agent = batch[0].Payload.Handler.Agent;
        var started = Stopwatch.GetTimestamp();
        BatchResult result;
        try
        {
            result = await pipeline.ProcessBatchAsync(batch.Select(i => i.Payload).ToList(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            engine.Isolate(batch, Stopwatch.GetElapsedTime(started));
            return;
        }
        var cost = Stopwatch.GetElapsedTime(started);
        FairlaneMetrics.ProcessingDuration.WithLabels(agent).Observe(cost.TotalSeconds);
        FairlaneMetrics.BatchSize.WithLabels(agent).Observe(batch.Count);
        if (result.Failure is not null)
        {
            FairlaneMetrics.ProcessingFailures.WithLabels(agent).Inc();
            engine.Isolate(batch, cost);
            return;
        }
        var share = cost / batch.Count;
        for (var i = 0; i < batch.Count; i++) Done(batch[i], result.Results[i], share);
    }

    private void Done(WorkItem<EngineEvent> item, PipelineResult result, TimeSpan cost)
    {
        var e = item.Payload;
        var agent = e.Handler.Agent;
        if (result is PipelineResult.Processed)
        {
            FairlaneMetrics.EventsProcessed.WithLabels(agent).Inc();
            if (e.ProducedAt is { } producedAt)
                FairlaneMetrics.EndToEndLatency.WithLabels(agent).Observe(Math.Max(0, (DateTimeOffset.UtcNow - producedAt).TotalSeconds));
        }
        else
        {
            FairlaneMetrics.EventsDuplicate.WithLabels(agent).Inc();
        }
        engine.Finish(item, cost);
    }

    // The event's offset completes only once the dead letter is acknowledged (its handler told, and its
    // parked row gone): if Kafka or PostgreSQL is unreachable it is retried like any transient failure, never dropped.
    private async Task RejectAsync(WorkItem<EngineEvent> item, DeadLetter letter, TimeSpan cost, CancellationToken stoppingToken)
    {
        var e = item.Payload;
        try
        {
            await deadLetters.PublishAsync(new DeadLetterSource(e.Partition.Topic, e.Partition.Partition, e.Offset, e.Key, e.Value, e.Headers),
                letter, stoppingToken);
            await pipeline.RecordDeadLetterAsync(e, stoppingToken);
            if (e.ParkId is { } parkId) await parkCleaner.DeleteAsync(e.Tenant, parkId, stoppingToken);
            engine.Finish(item, cost);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not dead-letter {Tenant}/{EventId}; retrying", e.Tenant, e.Envelope.Id);
            engine.Retry(item, cost, Backoff(item.Attempts + 1));
        }
        catch (OperationCanceledException)
        {
            engine.Retry(item, cost, TimeSpan.Zero);
        }
    }

    private TimeSpan Backoff(int attempt) => RetryDelay.Exponential(
        attempt, TimeSpan.FromMilliseconds(_options.RetryBaseMs), TimeSpan.FromMilliseconds(_options.RetryMaxMs), jitter: true);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing {Tenant}/{EventId} failed (attempt {Attempt}); retrying in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, Exception ex, string tenant, string eventId, int attempt, double delayMs);
}
