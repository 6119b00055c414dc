using System.Globalization;
using Confluent.Kafka;

namespace Fairlane.Worker.Observability;

/// <summary>
/// Drops the per-partition series (lag, uncommitted window, commit age, committed offset) of partitions this node
/// no longer owns. Otherwise an old owner keeps exporting its last values for ever, and the fleet's
/// sum of lag counts a partition once per node that ever owned it.
/// </summary>
internal static class PartitionSeries
{
    public static void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            var partition = tp.Partition.Value.ToString(CultureInfo.InvariantCulture);
            FairlaneMetrics.ConsumerLag.RemoveLabelled(tp.Topic, partition);
            FairlaneMetrics.UncommittedOffsets.RemoveLabelled(tp.Topic, partition);
            FairlaneMetrics.CommitAge.RemoveLabelled(tp.Topic, partition);
            FairlaneMetrics.CommittedOffset.RemoveLabelled(tp.Topic, partition);
        }
    }
}
