using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// Sends a record to the dead-letter topic with its original key, value and headers, plus headers
/// that say why and where it came from. It returns only once the dead letter is kept, so the caller
/// may then mark the origin offset complete without losing the record: acknowledged by the broker;
/// or, when the topic refuses it for good (too large, not authorised, invalid), acknowledged without
/// the record's own headers; or, refused even so, stored in PostgreSQL with its bytes. A transient
/// failure (a broker down) throws, for the caller to retry with backoff. Every failure is counted.
/// </summary>
internal sealed partial class DeadLetterPublisher(
    IProducer<string?, byte[]?> producer, Topics topics, DeadLetterStore store, ILogger<DeadLetterPublisher> logger) : IDisposable
{
    /// <summary>Keeps the dead letter and says where: the dead-letter topic's partition and offset, or the table.</summary>
    public async Task<DeadLetterKept> PublishAsync(DeadLetterSource source, DeadLetter letter, CancellationToken cancellationToken)
    {
        var why = WhyHeaders(source, letter);
        var (kept, refusal) = await TryProduceAsync(source, [.. source.Headers, .. why], cancellationToken);
        if (kept is not null)
        {
            Kept(source, letter, "published");
            return kept;
        }
        if (source.Headers.Count > 0)
        {
            // The record's own headers are what we add to it; the reason and origin headers stay.
            (kept, refusal) = await TryProduceAsync(source,
                [.. why, KeyValuePair.Create(HeaderNames.DlqHeadersDropped, Utf8(source.Headers.Count.ToString(CultureInfo.InvariantCulture)))],
                cancellationToken);
            if (kept is not null)
            {
                Kept(source, letter, "published without its original headers");
                return kept;
            }
        }
        try
        {
            await store.StoreAsync(source, letter, $"{refusal!.Code}: {refusal.Reason}", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FairlaneMetrics.DeadLetterFailures.WithLabels(DeadLetterFailureReasons.StoreFailed).Inc();
            throw;
        }
        Kept(source, letter, $"stored in PostgreSQL (the dead-letter topic refused it: {refusal.Reason})");
        return DeadLetterKept.Stored;
    }

    // Where it landed once acknowledged; the broker's or client's error when the topic refuses the record
    // for good. Anything else is transient or unforeseen: counted and thrown, and the caller retries.
    private async Task<(DeadLetterKept? Kept, Error? Refusal)> TryProduceAsync(DeadLetterSource source, IReadOnlyList<KeyValuePair<string, byte[]>> headerList,
        CancellationToken cancellationToken)
    {
        var headers = new Confluent.Kafka.Headers();
        foreach (var (name, value) in headerList) headers.Add(name, value);
        try
        {
            var delivered = await producer.ProduceAsync(topics.DeadLetters,
                new Message<string?, byte[]?> { Key = source.Key, Value = source.Value, Headers = headers },
                cancellationToken);
            return (new DeadLetterKept(delivered.Partition.Value, delivered.Offset.Value), null);
        }
        catch (KafkaException ex) when (DeadLetterFailureReasons.Permanent(ex.Error.Code) is { } reason)
        {
            FairlaneMetrics.DeadLetterFailures.WithLabels(reason).Inc();
            LogRefused(logger, source.Topic, source.Partition, source.Offset, source.Value?.Length ?? 0, ex.Error.Reason);
            return (null, ex.Error);
        }
        catch (KafkaException)
        {
            FairlaneMetrics.DeadLetterFailures.WithLabels(DeadLetterFailureReasons.Transient).Inc();
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FairlaneMetrics.DeadLetterFailures.WithLabels(DeadLetterFailureReasons.Unexpected).Inc();
            throw;
        }
    }

    private void Kept(DeadLetterSource source, DeadLetter letter, string how)
    {
        FairlaneMetrics.DeadLetters.WithLabels(letter.Reason).Inc();
        LogDeadLettered(logger, source.Topic, source.Partition, source.Offset, source.Key, letter.Reason, letter.Detail, how);
    }

    private static List<KeyValuePair<string, byte[]>> WhyHeaders(DeadLetterSource source, DeadLetter letter)
    {
        List<KeyValuePair<string, byte[]>> headers =
        [
            KeyValuePair.Create(HeaderNames.DlqReason, Utf8(letter.Reason)),
            KeyValuePair.Create(HeaderNames.DlqDetail, Utf8(Truncate(letter.Detail, 1_000))),
            KeyValuePair.Create(HeaderNames.DlqAttempts, Utf8(letter.Attempts.ToString(CultureInfo.InvariantCulture))),
        ];
        if (letter.ExceptionType is not null) headers.Add(KeyValuePair.Create(HeaderNames.DlqException, Utf8(letter.ExceptionType)));
        headers.Add(KeyValuePair.Create(HeaderNames.DlqOriginTopic, Utf8(source.Topic)));
        headers.Add(KeyValuePair.Create(HeaderNames.DlqOriginPartition, Utf8(source.Partition.ToString(CultureInfo.InvariantCulture))));
        headers.Add(KeyValuePair.Create(HeaderNames.DlqOriginOffset, Utf8(source.Offset.ToString(CultureInfo.InvariantCulture))));
        return headers;
    }

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dead-letter topic refused {Topic}/{Partition}@{Offset} ({Size} bytes of value): {Reason}")]
    private static partial void LogRefused(ILogger logger, string topic, int partition, long offset, int size, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {Topic}/{Partition}@{Offset} key {Key}: {Reason} ({Detail}); {How}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string? key, string reason, string detail, string how);
}
