using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Agents.Storage;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Worker.Observability;
using Npgsql;

namespace Fairlane.Worker.Intake;

/// <summary>
/// Consumes <c>{prefix}.webhooks</c> and records each event exactly once in processed_events.
/// Records are handled in order on the consume thread; a record's offset is stored only after its
/// effect commits or it is dead-lettered, so a crash re-delivers and the ledger skips the repeat.
/// </summary>
internal sealed partial class WebhookConsumeLoop(
    KafkaClientFactory kafka,
    TenantDatabase database,
    DeadLetterPublisher deadLetters,
    ILogger<WebhookConsumeLoop> logger) : BackgroundService
{
    private const string Agent = "watcher";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // librdkafka's Consume blocks; give it a thread of its own rather than a pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var topic = kafka.Options.Topics.Webhooks;
        using var consumer = kafka.Consumer()
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(topic, partitions))
            .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, topic, partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(topic, partitions))
            .SetErrorHandler((_, error) => OnError(error))
            .Build();
        consumer.Subscribe(topic);
        logger.LogInformation("Consuming {Topic} as group {Group}", topic, kafka.Options.GroupId);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string?, byte[]?>? record;
                try
                {
                    record = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    logger.LogWarning("Consume error on {Topic}: {Reason}", topic, ex.Error.Reason);
                    continue;
                }
                if (record is null || record.IsPartitionEOF) continue;

                FairlaneMetrics.EventsConsumed.WithLabels(record.Topic).Inc();
                // Blocking here is deliberate until the fair engine takes over dispatch: this thread
                // owns the consumer and records are handled one at a time, in order.
                HandleAsync(record, stoppingToken).GetAwaiter().GetResult();
                consumer.StoreOffset(record);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was not stored is re-delivered to the next owner.
        }
        finally
        {
            CommitStored(consumer);
            consumer.Close();
            logger.LogInformation("Left consumer group {Group}", kafka.Options.GroupId);
        }
    }

    private async Task HandleAsync(ConsumeResult<string?, byte[]?> record, CancellationToken cancellationToken)
    {
        var decoded = EnvelopeCodec.Decode(record.Message.Key, record.Message.Value, kafka.Options.MaxMessageBytes);
        if (!decoded.IsValid)
        {
            await deadLetters.PublishAsync(record, new DeadLetter(decoded.Reason!, decoded.Detail!), cancellationToken);
            return;
        }
        var envelope = decoded.Envelope!;
        if (envelope.Type != EventTypes.StockChanged)
        {
            await deadLetters.PublishAsync(record,
                new DeadLetter(DeadLetterReasons.UnknownType, $"type '{envelope.Type}' does not belong on {record.Topic}"), cancellationToken);
            return;
        }

        var origin = new EventOrigin(record.Topic, record.Partition.Value, record.Offset.Value, ProducedAt(record));
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var recorded = await database.InTenantTransactionAsync(envelope.TenantId,
                    (c, tx, ct) => ProcessedEventLedger.TryRecordAsync(c, tx, envelope.TenantId, envelope.Id, origin, ct),
                    cancellationToken);
                FairlaneMetrics.ProcessingDuration.WithLabels(Agent).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                if (!recorded)
                {
                    FairlaneMetrics.EventsDuplicate.WithLabels(Agent).Inc();
                    return;
                }
                FairlaneMetrics.EventsProcessed.WithLabels(Agent).Inc();
                if (origin.ProducedAt is { } producedAt)
                    FairlaneMetrics.EndToEndLatency.WithLabels(Agent).Observe(Math.Max(0, (DateTimeOffset.UtcNow - producedAt).TotalSeconds));
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The database is unreachable or failing: not the event's fault. Hold this record
                // (and so the partition, in order) and retry with capped, jittered backoff.
                FairlaneMetrics.ProcessingFailures.WithLabels(Agent).Inc();
                var delay = Backoff(attempt);
                LogRetry(logger, ex, envelope.TenantId, envelope.Id, record.Topic, record.Partition.Value, record.Offset.Value, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
            catch (Exception ex) when (!IsTransient(ex) && ex is not OperationCanceledException)
            {
                // Retrying cannot help (e.g. a constraint the event violates): park it in the DLQ
                // so the partition keeps flowing.
                await deadLetters.PublishAsync(record,
                    new DeadLetter(DeadLetterReasons.PermanentFailure, ex.Message, attempt, ex.GetType().FullName), cancellationToken);
                return;
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex is NpgsqlException { IsTransient: true } or TimeoutException;

    private static TimeSpan Backoff(int attempt)
    {
        var exponential = TimeSpan.FromMilliseconds(100 * Math.Pow(2, Math.Min(attempt - 1, 10)));
        var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
        return capped * (0.5 + Random.Shared.NextDouble() / 2);
    }

    private static DateTimeOffset? ProducedAt(ConsumeResult<string?, byte[]?> record)
    {
        if (record.Message.Headers is null || !record.Message.Headers.TryGetLastBytes(HeaderNames.ProducedAt, out var bytes)) return null;
        return long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }
}
