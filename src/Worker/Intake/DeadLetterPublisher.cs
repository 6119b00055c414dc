using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Intake;

/// <summary>What went wrong with a record, for the dead-letter headers.</summary>
internal sealed record DeadLetter(string Reason, string Detail, int Attempts = 0, string? ExceptionType = null);

/// <summary>The original record a dead letter carries: its bytes and headers as consumed, and where it came from.</summary>
internal sealed record DeadLetterSource(string Topic, int Partition, long Offset, string? Key, byte[]? Value, IReadOnlyList<KeyValuePair<string, byte[]>> Headers)
{
    public static DeadLetterSource Of(ConsumeResult<string?, byte[]?> record) => new(
        record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value, RecordHeaders.Of(record));
}

/// <summary>
/// Sends a record to the dead-letter topic with its original key, value and headers, plus headers
/// that say why and where it came from. It waits for the broker's acknowledgement, so the caller
/// may then mark the origin offset complete without losing the record.
/// </summary>
internal sealed class DeadLetterPublisher(IProducer<string?, byte[]?> producer, Topics topics, ILogger<DeadLetterPublisher> logger) : IDisposable
{
    public async Task PublishAsync(DeadLetterSource source, DeadLetter letter, CancellationToken cancellationToken)
    {
        var headers = new Confluent.Kafka.Headers();
        foreach (var (name, value) in source.Headers) headers.Add(name, value);
        Add(headers, HeaderNames.DlqReason, letter.Reason);
        Add(headers, HeaderNames.DlqDetail, Truncate(letter.Detail, 1_000));
        Add(headers, HeaderNames.DlqAttempts, letter.Attempts.ToString(CultureInfo.InvariantCulture));
        if (letter.ExceptionType is not null) Add(headers, HeaderNames.DlqException, letter.ExceptionType);
        Add(headers, HeaderNames.DlqOriginTopic, source.Topic);
        Add(headers, HeaderNames.DlqOriginPartition, source.Partition.ToString(CultureInfo.InvariantCulture));
        Add(headers, HeaderNames.DlqOriginOffset, source.Offset.ToString(CultureInfo.InvariantCulture));

        await producer.ProduceAsync(topics.DeadLetters,
            new Message<string?, byte[]?> { Key = source.Key, Value = source.Value, Headers = headers },
            cancellationToken);
        FairlaneMetrics.DeadLetters.WithLabels(letter.Reason).Inc();
        logger.LogWarning("Dead-lettered {Topic}/{Partition}@{Offset} key {Key}: {Reason} ({Detail})",
            source.Topic, source.Partition, source.Offset, source.Key, letter.Reason, letter.Detail);
    }

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
    }

    private static void Add(Confluent.Kafka.Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
