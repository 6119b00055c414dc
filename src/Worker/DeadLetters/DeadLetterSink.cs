using Fairlane.Agents.Handling;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Parking;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// Where every dead letter goes, from intake (records that cannot be read or do not belong) and from
/// dispatch (events rejected or out of retries). A dead letter is acknowledged only once it is kept
/// (<see cref="DeadLetterPublisher"/>), its handler has heard of it when it asks to
/// (<see cref="DeadLetterNotice"/>, e.g. a Guardian reconcile job counting its tenant as failed), and,
/// for an event loaded from the park, its parked row is gone. Until then its offset stays incomplete.
/// Once kept, it is indexed (<see cref="DeadLetterIndex"/>) for operators to list and replay: only a
/// dead letter that was kept is indexed, and one that was kept but not yet indexed is not
/// acknowledged, so the index misses nothing the topic or the table holds.
/// </summary>
internal sealed partial class DeadLetterSink(
    DeadLetterPublisher publisher, DeadLetterIndex index, DeadLetterNotice notice, ParkCleaner parkCleaner, ILogger<DeadLetterSink> logger)
{
    // Whatever failed (a broker down, PostgreSQL refusing the fallback, a bug), the offset stays
    // incomplete and the dead letter is tried again; the publisher counted the failure.
    private readonly Polly.ResiliencePipeline _retry = RetryPolicies.DeadLetters.Build(_ => true);

    /// <summary>One attempt at every step; throws when one fails, and the caller decides when to try again.</summary>
    public Task SendAsync(DeadLetterSource source, DeadLetter letter, EngineEvent? e, CancellationToken cancellationToken) =>
        SendAsync(source, letter, e, new Progress(), cancellationToken);

    /// <summary>Sends the dead letter, retrying with the dead-letter policy until it is acknowledged or the node stops.</summary>
    public Task SendWithRetryAsync(DeadLetterSource source, DeadLetter letter, EngineEvent? e, CancellationToken cancellationToken)
    {
        // Shared by the attempts, so a failure after the record was kept (the index, the notice) is
        // retried without publishing the record to the dead-letter topic again.
        var progress = new Progress();
        return _retry.ExecuteAsync(async ct =>
        {
            try
            {
                await SendAsync(source, letter, e, progress, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogRetrying(logger, ex, source.Topic, source.Partition, source.Offset);
                throw;
            }
        }, cancellationToken).AsTask();
    }

    private async Task SendAsync(DeadLetterSource source, DeadLetter letter, EngineEvent? e, Progress progress, CancellationToken cancellationToken)
    {
        progress.Kept ??= await publisher.PublishAsync(source, letter, cancellationToken);
        try
        {
            await index.RecordAsync(source, letter, DeadLetterIdentity.Of(source, e), progress.Kept, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FairlaneMetrics.DeadLetterFailures.WithLabels(DeadLetterFailureReasons.IndexFailed).Inc();
            throw;
        }
        if (e is null) return;
        if (e.Handler is IDeadLetterAware aware) await notice.TellAsync(aware, e, cancellationToken);
        if (e.ParkId is { } parkId) await parkCleaner.DeleteAsync(e.Tenant, parkId, cancellationToken);
    }

    private sealed class Progress
    {
        public DeadLetterKept? Kept { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettering {Topic}/{Partition}@{Offset} failed; retrying")]
    private static partial void LogRetrying(ILogger logger, Exception ex, string topic, int partition, long offset);
}
