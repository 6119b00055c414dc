using System.Diagnostics;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Partitioning.Backpressure;
using Fairlane.Partitioning.Offsets;
using Fairlane.Worker.DeadLetters;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Parking;

namespace Fairlane.Worker.Intake;

/// <summary>
/// The node's consumers: one per agent topic this node runs, each on its own thread and in its own
/// consumer group (<c>{Kafka:GroupId}-{topic}</c>), so every topic's partitions are split across
/// the fleet on their own (one group for all topics balances partition counts, and a joining node
/// can end up with only idle topics). A consumer never waits on a handler:
/// each record is decoded and handed to the fair engine (memory or park) or to the dead-letter
/// topic, and the loop goes back to Consume. Completed offsets are stored by this loop and committed
/// by librdkafka in the background every <c>Kafka:CommitIntervalMs</c>, so a slow coordinator never
/// stalls consumption; the buffered count and bytes pause and resume the partitions.
/// </summary>
internal sealed partial class ConsumeLoop(
    KafkaClientFactory kafka,
    FairEngine engine,
    HandlerRegistry handlers,
    ParkWriter parkWriter,
    ParkDrainer parkDrainer,
    DeadLetterSink deadLetters,
    DedupWindow dedupWindow,
    HealthSignals healthSignals,
    Microsoft.Extensions.Options.IOptions<Configuration.EngineOptions> engineOptions,
    ILogger<ConsumeLoop> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(5);

    // librdkafka's Consume blocks; give each consumer a thread of its own rather than a pool thread.
    // A consumer that dies (a fatal Kafka error, a bug) stops the node rather than leave its topic unread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ServiceLoops.RunAsync("The consume loop",
            handlers.Topics.Select(topic => (Func<CancellationToken, Task>)(ct => Task.Factory.StartNew(() => Run(topic, ct),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))).ToList(),
            stoppingToken, healthSignals);

    private void Run(string topic, CancellationToken stoppingToken)
    {
        var group = kafka.GroupFor(topic);
        using var consumer = kafka.Consumer(group)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetOffsetsCommittedHandler((_, committed) => OnCommitted(committed))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => OnLog(message))
            .Build();
        consumer.Subscribe(topic);
        LogConsuming(logger, topic, group);
        var commitInterval = TimeSpan.FromMilliseconds(kafka.Options.CommitIntervalMs);
        var lastCommit = Stopwatch.GetTimestamp();
        var lastLag = lastCommit;
        var pausedPartitions = -1; // how many of this consumer's partitions are paused; -1 when running
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
                    LogConsumeError(logger, ex.Error.Reason);
                }
                if (record is { IsPartitionEOF: true })
                    engine.IntakeReachedEnd(new PartitionKey(record.Topic, record.Partition.Value), record.Offset.Value);
                else if (record is not null) Intake(record, stoppingToken);

                pausedPartitions = ApplyBackpressure(consumer, pausedPartitions);
                if (Stopwatch.GetElapsedTime(lastCommit) >= commitInterval)
                {
                    Store(consumer, engine.TakeCommits(topic));
                    lastCommit = Stopwatch.GetTimestamp();
                }
                if (Stopwatch.GetElapsedTime(lastLag) >= LagInterval)
                {
                    ReportLag(consumer, topic);
                    lastLag = Stopwatch.GetTimestamp();
                }
            }
        }
        finally
        {
            Commit(consumer, engine.TakeCommits(topic));
            consumer.Close(); // revokes (draining in-flight work within the grace period) and leaves the group
            LogLeftGroup(logger, group);
        }
    }

    private void Intake(ConsumeResult<string?, byte[]?> record, CancellationToken stoppingToken)
    {
        FairlaneMetrics.EventsConsumed.WithLabels(record.Topic).Inc();
        var partition = new PartitionKey(record.Topic, record.Partition.Value);
        var bytes = (record.Message.Value?.Length ?? 0) + (record.Message.Key?.Length ?? 0);
        if (engine.Track(partition, record.Offset.Value, bytes, out var seen) is not { } assignment)
        {
            if (seen)
            {
                // The position went back (an offset reset): this offset is already complete or in flight
                // here, so skipping it loses nothing, and the rest of the partition keeps flowing.
                FairlaneMetrics.OffsetsRewound.WithLabels(record.Topic).Inc();
                LogAlreadyConsumed(logger, partition, record.Offset.Value);
            }
            else
            {
                LogNotAssigned(logger, partition, record.Offset.Value);
            }
            return;
        }

        var decoded = EnvelopeCodec.Decode(record.Message.Key, record.Message.Value, kafka.Options.MaxMessageBytes);
        if (!decoded.IsValid)
        {
            DeadLetter(SourceOf(record), new DeadLetter(decoded.Reason!, decoded.Detail!), assignment, stoppingToken);
            return;
        }
        var envelope = decoded.Envelope!;
        if (dedupWindow.Refuse(envelope) is { } tooOld)
        {
            DeadLetter(SourceOf(record), new DeadLetter(DeadLetterReasons.BeyondDedupWindow, tooOld), assignment, stoppingToken);
            return;
        }
        if (handlers.Find(record.Topic, envelope.Type) is not { } handler)
        {
            DeadLetter(SourceOf(record),
                new DeadLetter(DeadLetterReasons.UnknownType, $"type '{envelope.Type}' does not belong on {record.Topic}"), assignment, stoppingToken);
            return;
        }
        // Decoded once, here: a payload that does not fit its type is as malformed as bad JSON.
        if (!EventCatalog.TryDecode(envelope, out var typed, out var payloadError))
        {
            DeadLetter(SourceOf(record), new DeadLetter(DeadLetterReasons.Malformed, payloadError), assignment, stoppingToken);
            return;
        }

        var headers = RecordHeaders.Of(record);
        using var consumed = Tracing.StartConsume(record.Topic, record.Partition.Value, record.Offset.Value, envelope.TenantId, headers);
        var e = new EngineEvent
        {
            Partition = partition,
            Offset = record.Offset.Value,
            Assignment = assignment,
            Key = envelope.TenantId,
            Value = record.Message.Value!,
            Headers = headers,
            Envelope = typed,
            Handler = handler,
            ProducedAt = RecordHeaders.ProducedAt(headers),
            TraceContext = consumed?.Context ?? default,
            QueuedAtUtc = consumed is null ? default : DateTime.UtcNow,
        };
        var parkReason = engine.Admit(e);
        if (parkReason is { } reason) parkWriter.Enqueue(e, reason);
        consumed?.SetTag("fairlane.parked", parkReason?.ToString());
    }

    // Non-blocking: the record stays buffered (and its offset incomplete) until the sink acknowledges it.
    private void DeadLetter(DeadLetterSource source, DeadLetter letter, Assignment assignment, CancellationToken stoppingToken)
    {
        var origin = new EngineEventOrigin(assignment.Partition, source.Key ?? "", assignment, source.Offset);
        engine.BeginInTransit(assignment.Partition);
        _ = Task.Run(async () =>
        {
            try
            {
                await deadLetters.SendWithRetryAsync(source, letter, null, stoppingToken);
                engine.InTransitDone(origin, parked: false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the offset stays incomplete and the record is re-delivered.
            }
        }, CancellationToken.None);
    }

    private static DeadLetterSource SourceOf(ConsumeResult<string?, byte[]?> record) => new(
        record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value, RecordHeaders.Of(record));

    // The buffer bound is node-wide: whichever consumer notices the watermark flips the gate, and
    // each consumer follows the gate with its own partitions (including ones assigned while paused).
    private int ApplyBackpressure(IConsumer<string?, byte[]?> consumer, int pausedPartitions)
    {
        switch (engine.CheckBackpressure())
        {
            case BackpressureChange.Pause:
                LogBufferFull(logger, engine.Buffered, engine.BufferedBytes);
                healthSignals.ConsumptionPaused(true);
                break;
            case BackpressureChange.Resume:
                LogBufferDrained(logger, engine.Buffered, engine.BufferedBytes);
                healthSignals.ConsumptionPaused(false);
                break;
        }
        var paused = engine.ConsumptionPaused;
        FairlaneMetrics.ConsumptionPaused.Set(paused ? 1 : 0);
        if (paused && pausedPartitions != consumer.Assignment.Count)
        {
            consumer.Pause(consumer.Assignment);
            return consumer.Assignment.Count;
        }
        if (!paused && pausedPartitions >= 0)
        {
            consumer.Resume(consumer.Assignment);
            return -1;
        }
        return pausedPartitions;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Topic} as group {Group}")]
    private static partial void LogConsuming(ILogger logger, string topic, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error: {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left consumer group {Group}")]
    private static partial void LogLeftGroup(ILogger logger, string group);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Record {Partition}@{Offset} was already consumed under this assignment; skipped")]
    private static partial void LogAlreadyConsumed(ILogger logger, PartitionKey partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record {Partition}@{Offset} arrived for a partition not assigned here; ignored")]
    private static partial void LogNotAssigned(ILogger logger, PartitionKey partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Buffer full ({Buffered} events, {BufferedBytes} bytes): pausing consumption")]
    private static partial void LogBufferFull(ILogger logger, int buffered, long bufferedBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Buffer drained ({Buffered} events, {BufferedBytes} bytes): resuming consumption")]
    private static partial void LogBufferDrained(ILogger logger, int buffered, long bufferedBytes);
}
