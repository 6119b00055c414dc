using System.Diagnostics;
using Fairlane.Agents.Handling;
using Fairlane.Partitioning.Scheduling;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.DeadLetters;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Pipeline;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Dispatch;

/// <summary>
/// The node's worker pool: each worker takes the next run the fair scheduler allows (an event, with
/// the same tenant's following events when they may share a transaction), runs it through the
/// pipeline, and acts on each event's outcome, reporting the measured cost back so the tenant is
/// charged for it. Transient failures go back to the scheduler with backoff (holding only their
/// ordering key); dead letters and exhausted retries go to the dead-letter sink. No event is dropped.
/// </summary>
internal sealed partial class Dispatcher(
    FairEngine engine, EventPipeline pipeline, DeadLetterSink deadLetters, HealthSignals healthSignals, IOptions<EngineOptions> options,
    ILogger<Dispatcher> logger)
    : BackgroundService
{
    private readonly EngineOptions _options = options.Value;
    private readonly RetryPolicy _retry = RetryPolicies.Dispatch(options.Value);

    // A worker that dies stops the node rather than leave it quietly a worker short.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ServiceLoops.RunAsync("The worker pool",
            Enumerable.Range(0, _options.Workers).Select(_ => (Func<CancellationToken, Task>)(ct => Task.Run(() => WorkAsync(ct), ct))).ToList(),
            stoppingToken, healthSignals);

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            List<WorkItem<EngineEvent>> run;
            try
            {
                run = await engine.TakeAsync(_options.MaxBatchSize, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await RunAsync(run, stoppingToken);
        }
    }

    // A run shares one transaction, and the time it took is shared evenly between its events. A run of
    // several that fails rolled back as a whole; its events then run one by one, so the failure is
    // retried or dead-lettered for the event that caused it and no other.
    private async Task RunAsync(List<WorkItem<EngineEvent>> run, CancellationToken stoppingToken)
    {
        var agent = run[0].Payload.Handler.Agent;
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<Outcome> outcomes;
        try
        {
            outcomes = await pipeline.ProcessAsync(run.Select(i => i.Payload).ToList(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-run: its transaction rolled back; its events are re-delivered.
            if (run.Count == 1) engine.Retry(run[0], Stopwatch.GetElapsedTime(started), TimeSpan.Zero);
            else engine.Isolate(run, Stopwatch.GetElapsedTime(started));
            return;
        }
        var cost = Stopwatch.GetElapsedTime(started);
        FairlaneMetrics.ProcessingDuration.WithLabels(agent).Observe(cost.TotalSeconds);
        if (run.Count > 1)
        {
            FairlaneMetrics.BatchSize.WithLabels(agent).Observe(run.Count);
            if (!outcomes.All(o => o.Completed))
            {
                FairlaneMetrics.ProcessingFailures.WithLabels(agent).Inc();
                engine.Isolate(run, cost);
                return;
            }
        }
        var share = cost / run.Count;
        for (var i = 0; i < run.Count; i++) await ActAsync(run[i], outcomes[i], share, stoppingToken);
    }

    private async Task ActAsync(WorkItem<EngineEvent> item, Outcome outcome, TimeSpan cost, CancellationToken stoppingToken)
    {
        var e = item.Payload;
        var agent = e.Handler.Agent;
        var attempt = item.Attempts + 1;
        switch (outcome.Kind)
        {
            case OutcomeKind.Done:
                FairlaneMetrics.EventsProcessed.WithLabels(agent).Inc();
                if (e.ProducedAt is { } producedAt)
                    FairlaneMetrics.EndToEndLatency.WithLabels(agent).Observe(Math.Max(0, (DateTimeOffset.UtcNow - producedAt).TotalSeconds));
                engine.Finish(item, cost);
                break;
            case OutcomeKind.Duplicate:
                FairlaneMetrics.EventsDuplicate.WithLabels(agent).Inc();
                engine.Finish(item, cost);
                break;
            case OutcomeKind.Retry when attempt < _options.MaxAttempts:
                FairlaneMetrics.ProcessingFailures.WithLabels(agent).Inc();
                var delay = _retry.DelayFor(attempt);
                LogRetry(logger, outcome.Error!, e.Tenant, e.Envelope.Id, attempt, delay.TotalMilliseconds);
                engine.Retry(item, cost, delay);
                break;
            default:
                await DeadLetterAsync(item, DeadLetter.Of(outcome, attempt), cost, stoppingToken);
                break;
        }
    }

    // The event's offset completes only once the sink acknowledged the dead letter: if Kafka or
    // PostgreSQL is unreachable the event goes back with backoff like any transient failure, never dropped.
    private async Task DeadLetterAsync(WorkItem<EngineEvent> item, DeadLetter letter, TimeSpan cost, CancellationToken stoppingToken)
    {
        var e = item.Payload;
        try
        {
            await deadLetters.SendAsync(DeadLetterSource.Of(e), letter, e, stoppingToken);
            engine.Finish(item, cost);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            engine.Retry(item, cost, TimeSpan.Zero);
        }
        catch (Exception ex)
        {
            LogDeadLetterFailed(logger, ex, e.Tenant, e.Envelope.Id);
            engine.Retry(item, cost, _retry.DelayFor(item.Attempts + 1));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing {Tenant}/{EventId} failed (attempt {Attempt}); retrying in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, Exception ex, string tenant, string eventId, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not dead-letter {Tenant}/{EventId}; retrying")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception ex, string tenant, string eventId);
}
