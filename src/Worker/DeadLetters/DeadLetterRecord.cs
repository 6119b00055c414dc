using Confluent.Kafka;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// A dead letter's original record as a replay re-sends it: key, value and the record's own headers
/// (the dead-letter headers left off), and where it was read from.
/// </summary>
internal sealed record DeadLetterRecord(string? Key, byte[]? Value, IReadOnlyList<KeyValuePair<string, byte[]>> Headers, string From);

/// <summary>Reads single records of the dead-letter topic by partition and offset, for a replay. Never commits.</summary>
internal sealed class DeadLetterTopicReader(KafkaClientFactory kafka) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly IConsumer<string?, byte[]?> _consumer = kafka.Consumer(kafka.GroupFor(kafka.Options.Topics.DeadLetters) + "-replay").Build();
    private readonly string _topic = kafka.Options.Topics.DeadLetters;

    /// <summary>The record at that offset; null when the topic no longer holds it (retention) or it did not come within the wait.</summary>
    public DeadLetterRecord? Read(int partition, long offset, CancellationToken cancellationToken)
    {
        _consumer.Assign(new TopicPartitionOffset(_topic, partition, offset));
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = _consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null) continue;
            if (result.IsPartitionEOF || result.Offset.Value > offset) return null;
            if (result.Offset.Value < offset) continue;
            return new DeadLetterRecord(result.Message.Key, result.Message.Value, OwnHeaders(result.Message.Headers),
                $"{_topic}/{partition}@{offset}");
        }
        return null;
    }

    // The headers the record arrived with: the dead-letter path's own (fl-dlq-*) go.
    private static List<KeyValuePair<string, byte[]>> OwnHeaders(Headers? headers) =>
        headers is null
            ? []
            : [.. headers
                .Where(h => !h.Key.StartsWith("fl-dlq-", StringComparison.Ordinal))
                .Select(h => KeyValuePair.Create(h.Key, h.GetValueBytes() ?? []))];

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
