using Confluent.Kafka;
using Fairlane.Producing;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Infrastructure;

/// <summary>Builds the Kafka clients of this node from <see cref="KafkaOptions"/>.</summary>
internal sealed class KafkaClientFactory(IOptions<KafkaOptions> kafka, IOptions<WorkerOptions> worker)
{
    public KafkaOptions Options => kafka.Value;

    /// <summary>The consumer group of one topic: <c>{GroupId}-{topic without the prefix}</c>.</summary>
    public string GroupFor(string topic)
    {
        var prefix = kafka.Value.TopicPrefix + ".";
        var name = topic.StartsWith(prefix, StringComparison.Ordinal) ? topic[prefix.Length..] : topic;
        return $"{kafka.Value.GroupId}-{name}";
    }

    public ConsumerBuilder<string?, byte[]?> Consumer(string groupId)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var o = kafka.Value;
        var config = new ConsumerConfig
        {
            BootstrapServers = o.BootstrapServers,
            GroupId = groupId,
            ClientId = $"fairlane-{worker.Value.NodeId}",
            // The consume loop stores the lowest incomplete offset of each partition (never one past an
            // unfinished event, so a crash re-delivers, never skips), and librdkafka's background thread
            // commits what is stored every Kafka:CommitIntervalMs. A synchronous commit on the consume
            // thread would stall consumption whenever the group coordinator is slow to answer, e.g. for
            // a whole rebalance while the group waits out a dead member's session
            // (https://docs.confluent.io/kafka-clients/dotnet/current/overview.html#store-offsets).
            EnableAutoCommit = true,
            AutoCommitIntervalMs = o.CommitIntervalMs,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = o.SessionTimeoutMs,
            FetchWaitMaxMs = o.FetchWaitMaxMs,
            // Records wait in the engine's buffer (bounded by Engine:BufferHighWatermark*), not in the client's.
            QueuedMaxMessagesKbytes = o.PrefetchKbytes,
            // Bad records are dead-lettered by us; let large ones reach us so we can say why.
            MessageMaxBytes = Math.Max(o.MaxMessageBytes * 2, 1_000_000),
            // The end of a partition tells the engine intake has passed every record there: rows an
            // earlier owner parked below that point may then be loaded without overtaking older records.
            EnablePartitionEof = true,
        };
        return new ConsumerBuilder<string?, byte[]?>(config)
            .SetKeyDeserializer(Deserializers.Utf8!)
            .SetValueDeserializer(Deserializers.ByteArray!);
    }

    public IProducer<string?, byte[]?> Producer(string purpose, int? maxMessageBytes = null)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = kafka.Value.BootstrapServers,
            ClientId = $"fairlane-{worker.Value.NodeId}-{purpose}",
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
            MessageMaxBytes = maxMessageBytes ?? Math.Max(kafka.Value.MaxMessageBytes * 3, 1_000_000),
        };
        return new ProducerBuilder<string?, byte[]?>(config)
            .SetKeySerializer(Serializers.Utf8!)
            .SetValueSerializer(Serializers.ByteArray!)
            .Build();
    }

    public IAdminClient Admin()
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = kafka.Value.BootstrapServers,
            ClientId = $"fairlane-{worker.Value.NodeId}-admin",
        }).Build();
    }
}
