using Confluent.Kafka;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Intake;

// Rebalance callbacks run on the consume thread inside Consume(): they must return quickly.
internal sealed partial class WebhookConsumeLoop
{
    private int _assigned;

    private void OnAssigned(string topic, List<TopicPartition> partitions)
    {
        _assigned += partitions.Count;
        FairlaneMetrics.AssignedPartitions.WithLabels(topic).Set(_assigned);
        logger.LogInformation("Assigned {Count} partition(s) of {Topic}: {Partitions}", partitions.Count, topic,
            string.Join(",", partitions.Select(p => p.Partition.Value)));
    }

    // Revoked (a clean hand-over): every record handed out so far is complete, so commit what is stored
    // before the next owner starts from the committed offset.
    private void OnRevoked(IConsumer<string?, byte[]?> consumer, string topic, List<TopicPartitionOffset> partitions)
    {
        CommitStored(consumer);
        _assigned = Math.Max(0, _assigned - partitions.Count);
        FairlaneMetrics.AssignedPartitions.WithLabels(topic).Set(_assigned);
        logger.LogInformation("Revoked {Count} partition(s) of {Topic}", partitions.Count, topic);
    }

    // Lost (session expired): another node may already own them; committing now could move its offsets.
    private void OnLost(string topic, List<TopicPartitionOffset> partitions)
    {
        _assigned = Math.Max(0, _assigned - partitions.Count);
        FairlaneMetrics.AssignedPartitions.WithLabels(topic).Set(_assigned);
        logger.LogWarning("Lost {Count} partition(s) of {Topic} without commit", partitions.Count, topic);
    }

    private void OnError(Error error)
    {
        if (error.IsFatal) logger.LogCritical("Fatal Kafka error: {Reason}", error.Reason);
        else logger.LogDebug("Kafka client error: {Reason}", error.Reason);
    }

    private void CommitStored(IConsumer<string?, byte[]?> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Offset commit failed ({Reason}); uncommitted records will be re-delivered and skipped as duplicates", ex.Error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Processing {Tenant}/{EventId} from {Topic}/{Partition}@{Offset} failed (attempt {Attempt}); retrying in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, Exception ex, string tenant, string eventId, string topic, int partition, long offset, int attempt, double delayMs);
}
