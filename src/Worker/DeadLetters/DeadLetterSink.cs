using Fairlane.Agents.Handling;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Parking;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// Where every dead letter goes, from intake (records that cannot be read or do not belong) and from
/// dispatch (events rejected or out of retries). A dead letter is acknowledged only once it is kept
/// (<see cref="DeadLetterPublisher"/>), its handler has heard of it when it asks to
/// (<see cref="DeadLetterNotice"/>, e.g. a Guardian reconcile job counting its tenant as failed), and,
/// for an event loaded from the park, its parked row is gone. Until then its offset stays incomplete.
/// </summary>
internal sealed partial class DeadLetterSink(
    DeadLetterPublisher publisher, DeadLetterNotice notice, ParkCleaner parkCleaner, ILogger<DeadLetterSink> logger)
{
    // Whatever failed (a broker down, PostgreSQL refusing the fallback, a bug), the offset stays
    // incomplete and the dead letter is tried again; the publisher counted the failure.
    private readonly Polly.ResiliencePipeline _retry = RetryPolicies.DeadLetters.Build(_ => true);

    /// <summary>One attempt at every step; throws when one fails, and the caller decides when to try again.</summary>
    public async Task SendAsync(DeadLetterSource source, DeadLetter letter, EngineEvent? e, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync(source, letter, cancellationToken);
        if (e is null) return;
        if (e.Handler is IDeadLetterAware aware) await notice.TellAsync(aware, e, cancellationToken);
        if (e.ParkId is { } parkId) await parkCleaner.DeleteAsync(e.Tenant, parkId, cancellationToken);
    }

    /// <summary>Sends the dead letter, retrying with the dead-letter policy until it is acknowledged or the node stops.</summary>
    public Task SendWithRetryAsync(DeadLetterSource source, DeadLetter letter, EngineEvent? e, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async ct =>
        {
            try
            {
                await SendAsync(source, letter, e, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogRetrying(logger, ex, source.Topic, source.Partition, source.Offset);
                throw;
            }
        }, cancellationToken).AsTask();


    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettering {Topic}/{Partition}@{Offset} failed; retrying")]
    private static partial void LogRetrying(ILogger logger, Exception ex, string topic, int partition, long offset);
}
