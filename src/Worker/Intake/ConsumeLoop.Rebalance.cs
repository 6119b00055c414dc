using Confluent.Kafka;
using Fairlane.Partitioning.Offsets;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Intake;

// Rebalance callbacks run on the consume thread inside Consume(). Assign and lose return at once;
// revoke waits (bounded by Engine:RevokeGraceMs) for the revoked partitions' in-flight events so
// their completions are committed before the next owner starts. That wait is on other threads'
// work, never sync-over-async on this one.
internal sealed partial class ConsumeLoop
{
    private void OnAssigned(List<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            var assignment = engine.Assign(new PartitionKey(tp.Topic, tp.Partition.Value));
            parkDrainer.ReadParkOf(assignment);
        }
        CountAssigned(partitions, +1);
        logger.LogInformation("Assigned {Count} partition(s): {Partitions}", partitions.Count, Describe(partitions));
    }

    private void OnRevoked(IConsumer<string?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        var keys = partitions.Select(p => new PartitionKey(p.Topic, p.Partition.Value)).ToList();
        var commits = engine.Drain(keys, TimeSpan.FromMilliseconds(engineOptions.Value.RevokeGraceMs));
        Commit(consumer, commits);
        engine.Release(keys);
        CountAssigned(partitions.Select(p => p.TopicPartition), -1);
        PartitionSeries.Forget(partitions.Select(p => p.TopicPartition));
        logger.LogInformation("Revoked {Count} partition(s) after committing their completed offsets: {Partitions}",
            partitions.Count, Describe(partitions.Select(p => p.TopicPartition)));
    }

    // Lost (session expired): another node may already own them; committing now could move its offsets.
    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        var keys = partitions.Select(p => new PartitionKey(p.Topic, p.Partition.Value)).ToList();
        engine.Drain(keys, TimeSpan.Zero);
        engine.Release(keys);
        CountAssigned(partitions.Select(p => p.TopicPartition), -1);
        PartitionSeries.Forget(partitions.Select(p => p.TopicPartition));
        logger.LogWarning("Lost {Count} partition(s) without commit: {Partitions}", partitions.Count, Describe(partitions.Select(p => p.TopicPartition)));
    }

    // Local and non-blocking: librdkafka commits stored offsets in the background (OnCommitted reports how it went).
    private void Store(IConsumer<string?, byte[]?> consumer, IReadOnlyList<(PartitionKey Partition, long Offset)> commits)
    {
        foreach (var (partition, offset) in commits)
        {
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(partition.Topic, partition.Partition, offset));
            }
            catch (KafkaException ex)
            {
                // Not assigned any more (a revoke is under way): the revoke commits it, or the next owner re-reads.
                engine.CommitFailed(partition);
                logger.LogDebug("Storing offset {Offset} of {Partition} failed: {Reason}", offset, partition, ex.Error.Reason);
            }
        }
    }

    // The background commits' outcome, served on the consume thread by Consume().
    private void OnCommitted(CommittedOffsets committed)
    {
        var done = new List<(PartitionKey Partition, long Offset)>();
        foreach (var result in committed.Offsets)
        {
            var partition = new PartitionKey(result.Topic, result.Partition.Value);
            if (result.Error.IsError || committed.Error.IsError)
            {
                engine.CommitFailed(partition);
                logger.LogWarning("Offset commit of {Partition} failed: {Reason}", partition,
                    result.Error.IsError ? result.Error.Reason : committed.Error.Reason);
                continue;
            }
            if (result.Offset.IsSpecial) continue;
            done.Add((partition, result.Offset.Value));
            FairlaneMetrics.CommittedOffset.WithLabels(result.Topic, result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set(result.Offset.Value);
        }
        if (done.Count > 0) engine.Committed(done);
    }

    // Synchronous, for a revoke and for shutdown: the offsets must be committed before the next owner starts.
    private void Commit(IConsumer<string?, byte[]?> consumer, IReadOnlyList<(PartitionKey Partition, long Offset)> commits)
    {
        if (commits.Count == 0) return;
        try
        {
            consumer.Commit(commits.Select(c => new TopicPartitionOffset(c.Partition.Topic, c.Partition.Partition, c.Offset)));
            engine.Committed(commits);
            foreach (var (partition, offset) in commits)
                FairlaneMetrics.CommittedOffset.WithLabels(partition.Topic, partition.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(offset);
        }
        catch (KafkaException ex)
        {
            // Offered again next time; until then a crash re-delivers a little more (and the ledger skips it).
            foreach (var (partition, _) in commits) engine.CommitFailed(partition);
            logger.LogWarning("Offset commit failed: {Reason}", ex.Error.Reason);
        }
    }

    private void ReportLag(IConsumer<string?, byte[]?> consumer)
    {
        foreach (var tp in consumer.Assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(tp);
            var position = consumer.Position(tp);
            var partition = tp.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (watermarks.High != Offset.Unset && position != Offset.Unset)
                FairlaneMetrics.ConsumerLag.WithLabels(tp.Topic, partition).Set(Math.Max(0, watermarks.High.Value - position.Value));
            var (uncommitted, commitAge) = engine.CommitState(new PartitionKey(tp.Topic, tp.Partition.Value));
            FairlaneMetrics.UncommittedOffsets.WithLabels(tp.Topic, partition).Set(uncommitted);
            FairlaneMetrics.CommitAge.WithLabels(tp.Topic, partition).Set(commitAge.TotalSeconds);
        }
    }

    private void OnError(Error error)
    {
        if (error.IsFatal) logger.LogCritical("Fatal Kafka error: {Reason}", error.Reason);
        else logger.LogDebug("Kafka client error: {Reason}", error.Reason);
    }

    // librdkafka's own log lines, through our structured logger instead of raw stderr.
    private void OnLog(LogMessage message)
    {
        var level = message.Level <= SyslogLevel.Error ? LogLevel.Warning : LogLevel.Debug;
        logger.Log(level, "librdkafka {Facility}: {Message}", message.Facility, message.Message);
    }

    private static void CountAssigned(IEnumerable<TopicPartition> partitions, int sign)
    {
        foreach (var topic in partitions.GroupBy(p => p.Topic))
            FairlaneMetrics.AssignedPartitions.WithLabels(topic.Key).Inc(sign * topic.Count());
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(",", partitions.GroupBy(p => p.Topic).Select(g => $"{g.Key}[{string.Join(" ", g.Select(p => p.Partition.Value))}]"));
}
