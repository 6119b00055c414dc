using System.Diagnostics;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Partitioning.Backpressure;
using Fairlane.Partitioning.Offsets;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Engine.Parking;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Intake;

/// <summary>
/// The node's one consumer, for every agent topic this node runs. It never waits on a handler:
/// each record is decoded and handed to the fair engine (memory or park) or to the dead-letter
/// topic, and the loop goes back to Consume. Completed offsets are committed every second; the
/// buffered count pauses and resumes the partitions.
/// </summary>
internal sealed partial class ConsumeLoop(
    KafkaClientFactory kafka,
    FairEngine engine,
    HandlerRegistry handlers,
    ParkWriter parkWriter,
    ParkDrainer parkDrainer,
    DeadLetterPublisher deadLetters,
    Microsoft.Extensions.Options.IOptions<Configuration.EngineOptions> engineOptions,
    ILogger<ConsumeLoop> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(5);

    // librdkafka's Consume blocks; give it a thread of its own rather than a pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var topics = handlers.Topics;
        using var consumer = kafka.Consumer()
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => OnLog(message))
            .Build();
        consumer.Subscribe(topics);
        logger.LogInformation("Consuming {Topics} as group {Group}", string.Join(",", topics), kafka.Options.GroupId);
        var lastCommit = Stopwatch.GetTimestamp();
        var lastLag = lastCommit;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string?, byte[]?>? record = null;
                try
                {
                    record = consumer.Consume(PollTimeout);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    logger.LogWarning("Consume error: {Reason}", ex.Error.Reason);
                }
                if (record is { IsPartitionEOF: false }) Intake(record, stoppingToken);

                ApplyBackpressure(consumer);
                if (Stopwatch.GetElapsedTime(lastCommit) >= CommitInterval)
                {
                    Commit(consumer, engine.TakeCommits());
                    lastCommit = Stopwatch.GetTimestamp();
                }
                if (Stopwatch.GetElapsedTime(lastLag) >= LagInterval)
                {
                    ReportLag(consumer);
                    lastLag = Stopwatch.GetTimestamp();
                }
            }
        }
        finally
        {
            Commit(consumer, engine.TakeCommits());
            consumer.Close(); // revokes (draining in-flight work within the grace period) and leaves the group
            logger.LogInformation("Left consumer group {Group}", kafka.Options.GroupId);
        }
    }

    private void Intake(ConsumeResult<string?, byte[]?> record, CancellationToken stoppingToken)
    {
        FairlaneMetrics.EventsConsumed.WithLabels(record.Topic).Inc();
        var partition = new PartitionKey(record.Topic, record.Partition.Value);
        if (engine.Current(partition) is not { } assignment || !engine.Track(assignment, record.Offset.Value))
        {
            logger.LogWarning("Record {Partition}@{Offset} arrived for a partition not assigned here; ignored", partition, record.Offset.Value);
            return;
        }

        var decoded = EnvelopeCodec.Decode(record.Message.Key, record.Message.Value, kafka.Options.MaxMessageBytes);
        if (!decoded.IsValid)
        {
            DeadLetter(DeadLetterSource.Of(record), new DeadLetter(decoded.Reason!, decoded.Detail!), assignment, stoppingToken);
            return;
        }
        var envelope = decoded.Envelope!;
        if (handlers.Find(record.Topic, envelope.Type) is not { } handler)
        {
            DeadLetter(DeadLetterSource.Of(record),
                new DeadLetter(DeadLetterReasons.UnknownType, $"type '{envelope.Type}' does not belong on {record.Topic}"), assignment, stoppingToken);
            return;
        }

        var headers = RecordHeaders.Of(record);
        var e = new EngineEvent
        {
            Partition = partition,
            Offset = record.Offset.Value,
            Assignment = assignment,
            Key = envelope.TenantId,
            Value = record.Message.Value!,
            Headers = headers,
            Envelope = envelope,
            Handler = handler,
            ProducedAt = RecordHeaders.ProducedAt(headers),
        };
        if (engine.Admit(e) is { } parkReason) parkWriter.Enqueue(e, ParkReasonLabel(parkReason));
    }

    // Non-blocking: the record stays buffered (and its offset incomplete) until the DLQ acknowledges it.
    private void DeadLetter(DeadLetterSource source, DeadLetter letter, Assignment assignment, CancellationToken stoppingToken)
    {
        var origin = new EngineEventOrigin(assignment.Partition, source.Key ?? "", assignment, source.Offset);
        engine.BeginSideTrip(assignment.Partition);
        _ = Task.Run(async () =>
        {
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await deadLetters.PublishAsync(source, letter, stoppingToken);
                        engine.SideTripDone(origin, parked: false);
                        return;
                    }
                    catch (KafkaException ex)
                    {
                        logger.LogWarning("Dead-lettering {Topic}/{Partition}@{Offset} failed ({Reason}); retrying",
                            source.Topic, source.Partition, source.Offset, ex.Error.Reason);
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, Math.Min(attempt, 7)))), stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the offset stays incomplete and the record is re-delivered.
            }
        }, CancellationToken.None);
    }

    private static string ParkReasonLabel(Fairlane.Partitioning.Parking.ParkReason reason) => reason switch
    {
        Fairlane.Partitioning.Parking.ParkReason.Paused => "paused",
        Fairlane.Partitioning.Parking.ParkReason.OverCap => "over-cap",
        _ => "behind-parked",
    };

    private void ApplyBackpressure(IConsumer<string?, byte[]?> consumer)
    {
        switch (engine.CheckBackpressure())
        {
            case BackpressureChange.Pause:
                logger.LogWarning("Buffer full ({Buffered} events): pausing {Count} partition(s)", engine.Buffered, consumer.Assignment.Count);
                consumer.Pause(consumer.Assignment);
                break;
            case BackpressureChange.Resume:
                logger.LogInformation("Buffer drained ({Buffered} events): resuming", engine.Buffered);
                consumer.Resume(consumer.Assignment);
                break;
        }
        FairlaneMetrics.ConsumptionPaused.Set(engine.ConsumptionPaused ? 1 : 0);
    }
}
