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
        if (logger.IsEnabled(LogLevel.Information))
        {
            var described = Describe(partitions); // built only when it is logged
            LogAssigned(logger, partitions.Count, described);
        }
    }

    private void OnRevoked(IConsumer<string?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        var keys = partitions.Select(p => new PartitionKey(p.Topic, p.Partition.Value)).ToList();
        var commits = engine.Drain(keys, TimeSpan.FromMilliseconds(engineOptions.Value.RevokeGraceMs));
        Commit(consumer, commits);
        engine.Release(keys);
        CountAssigned(partitions.Select(p => p.TopicPartition), -1);
        PartitionSeries.Forget(partitions.Select(p => p.TopicPartition));
        if (logger.IsEnabled(LogLevel.Information))
        {
            var described = Describe(partitions.Select(p => p.TopicPartition));
            LogRevoked(logger, partitions.Count, described);
        }
    }

    // Lost (session expired): another node may already own them; committing now could move its offsets.
    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        var keys = partitions.Select(p => new PartitionKey(p.Topic, p.Partition.Value)).ToList();
        engine.Drain(keys, TimeSpan.Zero);
        engine.Release(keys);
        CountAssigned(partitions.Select(p => p.TopicPartition), -1);
        PartitionSeries.Forget(partitions.Select(p => p.TopicPartition));
        if (logger.IsEnabled(LogLevel.Warning))
        {
            var described = Describe(partitions.Select(p => p.TopicPartition));
            LogLost(logger, partitions.Count, described);
        }
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
                LogStoreFailed(logger, offset, partition, ex.Error.Reason);
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
                LogPartitionCommitFailed(logger, partition, result.Error.IsError ? result.Error.Reason : committed.Error.Reason);
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
            LogCommitFailed(logger, ex.Error.Reason);
        }
    }

    private void ReportLag(IConsumer<string?, byte[]?> consumer, string topic)
    {
        var oldest = (Age: TimeSpan.Zero, Partition: "");
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
            if (commitAge > oldest.Age) oldest = (commitAge, $"{tp.Topic}/{partition}");
        }
        healthSignals.CommitAge(topic, oldest.Age, oldest.Partition);
    }

    private void OnError(Error error)
    {
        if (error.IsFatal) LogFatalKafkaError(logger, error.Reason);
        else LogKafkaError(logger, error.Reason);
    }

    // librdkafka's own log lines, through our structured logger instead of raw stderr.
    private void OnLog(LogMessage message)
    {
        var level = message.Level <= SyslogLevel.Error ? LogLevel.Warning : LogLevel.Debug;
        LogLibrdkafka(logger, level, message.Facility, message.Message);
    }

    private static void CountAssigned(IEnumerable<TopicPartition> partitions, int sign)
    {
        foreach (var topic in partitions.GroupBy(p => p.Topic))
            FairlaneMetrics.AssignedPartitions.WithLabels(topic.Key).Inc(sign * topic.Count());
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(",", partitions.GroupBy(p => p.Topic).Select(g => $"{g.Key}[{string.Join(" ", g.Select(p => p.Partition.Value))}]"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Count} partition(s): {Partitions}")]
    private static partial void LogAssigned(ILogger logger, int count, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked {Count} partition(s) after committing their completed offsets: {Partitions}")]
    private static partial void LogRevoked(ILogger logger, int count, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost {Count} partition(s) without commit: {Partitions}")]
    private static partial void LogLost(ILogger logger, int count, string partitions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Storing offset {Offset} of {Partition} failed: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, long offset, PartitionKey partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offset commit of {Partition} failed: {Reason}")]
    private static partial void LogPartitionCommitFailed(ILogger logger, PartitionKey partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offset commit failed: {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal Kafka error: {Reason}")]
    private static partial void LogFatalKafkaError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka client error: {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string reason);

    // The level follows librdkafka's own severity, so it is a parameter here.
    [LoggerMessage(Message = "librdkafka {Facility}: {Message}")]
    private static partial void LogLibrdkafka(ILogger logger, LogLevel level, string facility, string message);
}
