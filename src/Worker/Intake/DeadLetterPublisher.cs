using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Intake;

/// <summary>What went wrong with a record, for the dead-letter headers.</summary>
internal sealed record DeadLetter(string Reason, string Detail, int Attempts = 0, string? ExceptionType = null);

/// <summary>
/// Sends a record to the dead-letter topic with its original key, value and headers, plus headers
/// that say why and where it came from. It waits for the broker's acknowledgement, so the caller
/// may then mark the origin offset complete without losing the record.
/// </summary>
internal sealed class DeadLetterPublisher(IProducer<string?, byte[]?> producer, Topics topics, ILogger<DeadLetterPublisher> logger)
{
    public async Task PublishAsync(ConsumeResult<string?, byte[]?> record, DeadLetter letter, CancellationToken cancellationToken)
    {
        var headers = new Confluent.Kafka.Headers();
        foreach (var h in record.Message.Headers ?? []) headers.Add(h.Key, h.GetValueBytes());
        Add(headers, HeaderNames.DlqReason, letter.Reason);
        Add(headers, HeaderNames.DlqDetail, Truncate(letter.Detail, 1_000));
        Add(headers, HeaderNames.DlqAttempts, letter.Attempts.ToString(CultureInfo.InvariantCulture));
        if (letter.ExceptionType is not null) Add(headers, HeaderNames.DlqException, letter.ExceptionType);
        Add(headers, HeaderNames.DlqOriginTopic, record.Topic);
        Add(headers, HeaderNames.DlqOriginPartition, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, HeaderNames.DlqOriginOffset, record.Offset.Value.ToString(CultureInfo.InvariantCulture));

        await producer.ProduceAsync(topics.DeadLetters,
            new Message<string?, byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers },
            cancellationToken);
        FairlaneMetrics.DeadLetters.WithLabels(letter.Reason).Inc();
        logger.LogWarning("Dead-lettered {Topic}/{Partition}@{Offset} key {Key}: {Reason} ({Detail})",
            record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, letter.Reason, letter.Detail);
    }

    private static void Add(Confluent.Kafka.Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
