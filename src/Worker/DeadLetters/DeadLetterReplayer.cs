using System.Text;
using Confluent.Kafka;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Npgsql;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// Re-sends dead letters to where they came from, once their cause is fixed: the original record (key,
/// value, its own headers) read back from the dead-letter topic, or from <c>dead_letters</c> for one
/// the topic refused, goes to its origin topic and partition with a header saying it was replayed and
/// from where. The pipeline's processed-events ledger is what makes this safe: an event that had been
/// applied after all is skipped as a duplicate. A row is marked replayed only after Kafka acknowledged
/// the record, so a failure leaves it for the next replay; a replayed row is sent again only when
/// asked (<c>again</c>). Rows go oldest first, one at a time, so a tenant's events keep their order.
/// </summary>
internal sealed partial class DeadLetterReplayer(
    DeadLetterIndex index, DeadLetterStore store, KafkaClientFactory kafka, ILogger<DeadLetterReplayer> logger)
{
    /// <summary>Set on a replayed record: where it was read from (dead-letter topic partition and offset, or the table).</summary>
    public const string ReplayedFromHeader = "fl-replayed-from";

    public async Task<DeadLetterReplayReport> ReplayAsync(DeadLetterFilter filter, bool dryRun, bool again, CancellationToken cancellationToken)
    {
        var entries = await index.FindAsync(filter, onlyUnreplayed: !again, cancellationToken);
        if (dryRun || entries.Count == 0) return new DeadLetterReplayReport(dryRun, entries.Count, 0, 0, entries);

        using var producer = kafka.Producer("replay");
        using var reader = new DeadLetterTopicReader(kafka);
        int replayed = 0, failed = 0;
        foreach (var entry in entries)
        {
            try
            {
                if (await ReplayOneAsync(entry, producer, reader, cancellationToken)) replayed++;
                else failed++;
            }
            catch (Exception ex) when (ex is KafkaException or NpgsqlException or TimeoutException)
            {
                failed++;
                LogFailed(logger, ex, entry.Id, entry.OriginTopic, entry.OriginPartition, entry.OriginOffset);
            }
        }
        return new DeadLetterReplayReport(false, entries.Count, replayed, failed, entries);
    }

    private async Task<bool> ReplayOneAsync(DeadLetterEntry entry, IProducer<string?, byte[]?> producer, DeadLetterTopicReader reader,
        CancellationToken cancellationToken)
    {
        var record = entry is { DlqPartition: { } partition, DlqOffset: { } offset }
            ? await Task.Run(() => reader.Read(partition, offset, cancellationToken), cancellationToken)
            : await store.LoadAsync(entry.OriginTopic, entry.OriginPartition, entry.OriginOffset, cancellationToken);
        if (record is null)
        {
            LogGone(logger, entry.Id, entry.KeptIn);
            return false;
        }

        var headers = new Headers();
        foreach (var (name, value) in record.Headers.Where(h => h.Key != ReplayedFromHeader)) headers.Add(name, value);
        headers.Add(ReplayedFromHeader, Encoding.UTF8.GetBytes(record.From));
        // The origin partition, not the partitioner's choice: the key's events stay on the partition they were ordered on.
        await producer.ProduceAsync(new TopicPartition(entry.OriginTopic, entry.OriginPartition),
            new Message<string?, byte[]?> { Key = record.Key, Value = record.Value, Headers = headers }, cancellationToken);
        await index.MarkReplayedAsync(entry.Id, cancellationToken);
        FairlaneMetrics.DeadLettersReplayed.WithLabels(entry.Reason).Inc();
        LogReplayed(logger, entry.Id, entry.Tenant, entry.EventId, entry.Reason, record.From, entry.OriginTopic, entry.OriginPartition);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed dead letter {Id} ({Tenant}/{EventId}, {Reason}) from {From} to {Topic}/{Partition}")]
    private static partial void LogReplayed(ILogger logger, long id, string? tenant, string? eventId, string reason, string from, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {Id} cannot be replayed: its record is no longer in the {KeptIn} (retention?)")]
    private static partial void LogGone(ILogger logger, long id, string keptIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replaying dead letter {Id} of {Topic}/{Partition}@{Offset} failed; it stays unreplayed")]
    private static partial void LogFailed(ILogger logger, Exception ex, long id, string topic, int partition, long offset);
}
