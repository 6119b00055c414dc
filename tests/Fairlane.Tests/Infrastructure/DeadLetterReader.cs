using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;

namespace Fairlane.Tests.Infrastructure;

/// <summary>A dead letter as read back from the DLQ topic (headers by name, the last of each).</summary>
internal sealed record Letter(string Reason, string OriginTopic, byte[] Value, IReadOnlyDictionary<string, string> Headers);

internal static class DeadLetterReader
{
    /// <summary>Reads the DLQ topic with a group of its own until <paramref name="expected"/> letters arrived.</summary>
    public static async Task<List<Letter>> ReadAsync(string bootstrap, string topic, int expected, TimeSpan deadline)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = TestServers.UniqueName("dlq-reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var letters = new List<Letter>();
        await Eventually.WaitAsync(() =>
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } m })
            {
                string Header(string name) => Encoding.UTF8.GetString(m.Headers.GetLastBytes(name));
                var headers = m.Headers.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().GetValueBytes()));
                letters.Add(new Letter(Header(HeaderNames.DlqReason), Header(HeaderNames.DlqOriginTopic), m.Value, headers));
            }
            return letters.Count >= expected;
        }, deadline, $"{expected} dead letters");
        consumer.Close();
        return letters;
    }

    /// <summary>How many records a topic (e.g. the DLQ) holds: the sum of its partitions' high watermarks (no consumer group, no waiting).</summary>
    public static long Count(string bootstrap, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = TestServers.UniqueName("dlq-count"),
        }).Build();
        return partitions.Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value);
    }
}
