using Fairlane.Contracts;

namespace Fairlane.Worker.Configuration;

/// <summary>Where Kafka is and how this node joins the consumer group.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated host:port list. Required.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>The consumer group every node of one fleet shares.</summary>
    public string GroupId { get; set; } = "fairlane";

    /// <summary>Prefix of every topic name (topics are <c>{prefix}.webhooks</c> and so on).</summary>
    public string TopicPrefix { get; set; } = Topics.DefaultPrefix;

    /// <summary>Partitions per topic when this node creates topics (<c>fairlane topics ensure</c>).</summary>
    public int Partitions { get; set; } = Topics.DefaultPartitions;

    /// <summary>The consumer's session timeout; a node silent this long loses its partitions.</summary>
    public int SessionTimeoutMs { get; set; } = 30_000;

    /// <summary>How often stored offsets are committed.</summary>
    public int CommitIntervalMs { get; set; } = 1_000;

    /// <summary>
    /// How long a fetch may wait at the broker for data. Bounds the idle latency of a quiet partition
    /// when the broker does not answer a fetch as soon as data arrives (the embedded cluster waits
    /// the full time); a real broker answers early, so a low value costs little there.
    /// </summary>
    public int FetchWaitMaxMs { get; set; } = 100;

    /// <summary>
    /// Kilobytes of records the Kafka client may fetch ahead of the engine (librdkafka's
    /// <c>queued.max.messages.kbytes</c>, 64 MiB by default). The engine's own buffer is where events
    /// wait; the client needs only enough to cover a fetch's round trip, and a deep backlog would
    /// otherwise hold this much more in memory.
    /// </summary>
    public int PrefetchKbytes { get; set; } = 8_192;

    /// <summary>Records larger than this go to the dead-letter topic unread.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The largest dead letter the node sends (the producer's <c>message.max.bytes</c>, headers
    /// included); match the dead-letter topic's <c>max.message.bytes</c>. Larger ones are sent without
    /// the record's own headers, then stored in PostgreSQL. Default: 3 × <see cref="MaxMessageBytes"/>,
    /// at least 1,000,000.
    /// </summary>
    public int? DeadLetterMaxMessageBytes { get; set; }

    public Topics Topics => new(TopicPrefix);
}
