using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;

namespace Fairlane.LoadTest.Chaos;

/// <summary>Reads every dead letter on the DLQ topic, up to its end as it stands, with a consumer group of its own.</summary>
internal static class DeadLetterTopic
{
    public static List<PlacedRecord> ReadAll(string bootstrap, string topic, TimeSpan deadline)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"chaos-dlq-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var positions = ends.Keys.ToDictionary(p => p, _ => 0L);
        var letters = new List<PlacedRecord>();
        var until = DateTime.UtcNow + deadline;
        while (positions.Any(p => p.Value < ends[p.Key]))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"The dead-letter topic {topic} was not read to its end within {deadline.TotalSeconds:0} s.");
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is not { Message: { } m } result) continue;
            positions[result.Partition.Value] = result.Offset.Value + 1;
            string Header(string name) => m.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
            letters.Add(new PlacedRecord(new Origin(Header(HeaderNames.DlqOriginTopic),
                int.Parse(Header(HeaderNames.DlqOriginPartition), CultureInfo.InvariantCulture),
                long.Parse(Header(HeaderNames.DlqOriginOffset), CultureInfo.InvariantCulture)), Header(HeaderNames.DlqReason)));
        }
        consumer.Close();
        return letters;
    }
}
