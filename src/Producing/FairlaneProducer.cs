using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;

namespace Fairlane.Producing;

/// <summary>
/// The tenant-keyed producer every Fairlane producer integrates through. It keys each record by
/// its tenant, refuses an envelope without a valid tenant, sets the <see cref="HeaderNames"/>, and is
/// idempotent (acks=all, no duplicates on retry).
/// </summary>
public sealed class FairlaneProducer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;

    /// <summary>Creates a producer for the given bootstrap servers.</summary>
    /// <param name="bootstrapServers">Comma-separated host:port list.</param>
    /// <param name="clientId">The client id the brokers see.</param>
    /// <param name="extraConfig">Further librdkafka settings (e.g. security), applied last.</param>
    public FairlaneProducer(string bootstrapServers, string clientId = "fairlane-producer",
        IEnumerable<KeyValuePair<string, string>>? extraConfig = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
            // Java's default partitioner hashes keys with murmur2; using the same hash keeps a tenant
            // on the same partition whichever client produced it.
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
        };
        foreach (var (k, v) in extraConfig ?? []) config.Set(k, v);
        _producer = new ProducerBuilder<string, byte[]>(config).Build();
    }

    /// <summary>
    /// Sends an envelope and waits for the broker's acknowledgement. The current span (if any) travels
    /// in the <see cref="HeaderNames.TraceParent"/> header, so the consumer's trace continues it.
    /// </summary>
    public Task<DeliveryResult<string, byte[]>> ProduceAsync(string topic, EventEnvelope envelope, CancellationToken cancellationToken = default) =>
        _producer.ProduceAsync(topic, ToMessage(envelope, CurrentTraceParent(), Activity.Current?.TraceStateString), cancellationToken);

    /// <summary>
    /// Sends an envelope under an explicit W3C trace context (null: none), for a sender that continues a
    /// trace other than the current span's: the outbox relay publishing the context its row was written in.
    /// </summary>
    public Task<DeliveryResult<string, byte[]>> ProduceAsync(string topic, EventEnvelope envelope, string? traceParent, string? traceState,
        CancellationToken cancellationToken = default) =>
        _producer.ProduceAsync(topic, ToMessage(envelope, traceParent, traceState), cancellationToken);

    /// <summary>
    /// Sends an envelope under an explicit key, refusing it when the key is not the envelope's tenant
    /// (a consumer would dead-letter such a record).
    /// </summary>
    public Task<DeliveryResult<string, byte[]>> ProduceAsync(string topic, string key, EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!string.Equals(key, envelope.TenantId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Event {envelope.Id} is keyed '{key}' but belongs to tenant '{envelope.TenantId}': every Fairlane topic is keyed by tenant id.",
                nameof(key));
        }
        return ProduceAsync(topic, envelope, cancellationToken);
    }

    /// <summary>
    /// Queues an envelope without waiting (for high rates); <paramref name="onDelivered"/> runs on the
    /// producer's delivery thread. Call <see cref="Flush"/> before disposing.
    /// </summary>
    public void Produce(string topic, EventEnvelope envelope, Action<DeliveryReport<string, byte[]>>? onDelivered = null) =>
        _producer.Produce(topic, ToMessage(envelope, CurrentTraceParent(), Activity.Current?.TraceStateString), onDelivered);

    /// <summary>Sends a record with a key and bytes of the caller's choosing, bypassing envelope checks.</summary>
    /// <remarks>For dead-letter replay and fault tests only: the consumer validates what this sends.</remarks>
    public Task<DeliveryResult<string, byte[]>> ProduceRawAsync(string topic, Message<string, byte[]> message, CancellationToken cancellationToken = default) =>
        _producer.ProduceAsync(topic, message, cancellationToken);

    /// <summary>Waits until every queued record is acknowledged or the timeout passes; returns how many are still queued.</summary>
    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();

    // Only W3C ids are traceparent values; a hierarchical id (an old-style Activity) is not sent.
    private static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    private static Message<string, byte[]> ToMessage(EventEnvelope envelope, string? traceParent, string? traceState)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!TenantIds.IsValid(envelope.TenantId))
        {
            throw new ArgumentException(
                $"Event {envelope.Id} has tenant id '{envelope.TenantId}': a tenant id is 1-{TenantIds.MaxLength} characters of letters, digits, '.', '_' or '-'.",
                nameof(envelope));
        }
        if (string.IsNullOrWhiteSpace(envelope.Id))
            throw new ArgumentException("An event needs an id: it is the idempotency key.", nameof(envelope));

        var message = new Message<string, byte[]>
        {
            Key = envelope.TenantId,
            Value = EnvelopeCodec.Encode(envelope),
            Headers = new Confluent.Kafka.Headers
            {
                { HeaderNames.EventId, Encoding.UTF8.GetBytes(envelope.Id) },
                { HeaderNames.Type, Encoding.UTF8.GetBytes(envelope.Type) },
                { HeaderNames.SchemaVersion, Encoding.UTF8.GetBytes(envelope.SchemaVersion.ToString(CultureInfo.InvariantCulture)) },
                { HeaderNames.ProducedAt, Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) },
            },
        };
        if (traceParent is not null) message.Headers.Add(HeaderNames.TraceParent, Encoding.UTF8.GetBytes(traceParent));
        if (!string.IsNullOrEmpty(traceParent) && !string.IsNullOrEmpty(traceState))
            message.Headers.Add(HeaderNames.TraceState, Encoding.UTF8.GetBytes(traceState));
        return message;
    }
}
