using Confluent.Kafka;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// The fleet's lag is the sum over nodes of fairlane_consumer_lag, which is only right when a node
/// stops exporting a partition it no longer owns.
/// </summary>
public sealed class PartitionSeriesTests
{
    [Fact]
    public void A_partition_handed_over_leaves_no_stale_series_behind()
    {
        var topic = TestServers.UniqueName("lag");
        FairlaneMetrics.ConsumerLag.WithLabels(topic, "3").Set(1234);
        FairlaneMetrics.UncommittedOffsets.WithLabels(topic, "3").Set(5);
        FairlaneMetrics.CommitAge.WithLabels(topic, "3").Set(42);
        FairlaneMetrics.CommittedOffset.WithLabels(topic, "3").Set(99);
        FairlaneMetrics.ConsumerLag.WithLabels(topic, "4").Set(1);

        PartitionSeries.Forget([new TopicPartition(topic, 3)]);

        Assert.DoesNotContain([topic, "3"], FairlaneMetrics.ConsumerLag.GetAllLabelValues());
        Assert.DoesNotContain([topic, "3"], FairlaneMetrics.UncommittedOffsets.GetAllLabelValues());
        Assert.DoesNotContain([topic, "3"], FairlaneMetrics.CommitAge.GetAllLabelValues());
        Assert.DoesNotContain([topic, "3"], FairlaneMetrics.CommittedOffset.GetAllLabelValues());
        Assert.Contains([topic, "4"], FairlaneMetrics.ConsumerLag.GetAllLabelValues());
    }
}
