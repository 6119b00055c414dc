using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fairlane.Contracts.Events;

/// <summary>
/// One entry of the <see cref="EventCatalog"/>: an event type, the topic it travels on, its payload
/// type and how its ordering key follows from the payload.
/// </summary>
public abstract class EventDefinition
{
    private protected EventDefinition(string type, TopicRole topic)
    {
        Type = type;
        Topic = topic;
    }

    /// <summary>The envelope type, one of <see cref="EventTypes"/>.</summary>
    public string Type { get; }

    /// <summary>The topic events of this type belong on; see <see cref="Topics.For"/>.</summary>
    public TopicRole Topic { get; }

    /// <summary>The CLR type of the payload.</summary>
    public abstract Type PayloadType { get; }

    /// <summary>
    /// Reads the envelope's payload into its typed record. Throws <see cref="JsonException"/>, with a
    /// message naming the event type, when the payload does not have this type's shape.
    /// </summary>
    public abstract TypedEnvelope Decode(EventEnvelope envelope);
}

/// <summary>An <see cref="EventDefinition"/> whose payload is a <typeparamref name="TPayload"/>.</summary>
public sealed class EventDefinition<TPayload> : EventDefinition where TPayload : class
{
    private readonly Func<TPayload, string> _orderingKey;

    internal EventDefinition(string type, TopicRole topic, JsonTypeInfo<TPayload> json, Func<TPayload, string> orderingKey)
        : base(type, topic)
    {
        Json = json;
        _orderingKey = orderingKey;
    }

    /// <summary>The payload's source-generated JSON contract (<see cref="FairlaneJsonContext"/>).</summary>
    public JsonTypeInfo<TPayload> Json { get; }

    /// <inheritdoc/>
    public override Type PayloadType => typeof(TPayload);

    /// <summary>
    /// The ordering key of an event with this payload: events of one key of a tenant never run at once
    /// and run in offset order.
    /// </summary>
    public string OrderingKeyOf(TPayload payload) => _orderingKey(payload);

    /// <summary>Wraps a payload in an envelope of this type and the current schema version.</summary>
    public EventEnvelope Create(string tenantId, TPayload payload, string? id = null, DateTimeOffset? occurredAt = null) =>
        EnvelopeCodec.Create(tenantId, Type, payload, Json, id, occurredAt);

    /// <inheritdoc/>
    public override TypedEnvelope<TPayload> Decode(EventEnvelope envelope)
    {
        if (envelope.Type != Type)
            throw new JsonException($"Event {envelope.Id} is of type '{envelope.Type}', not '{Type}'.");
        TPayload? payload;
        try
        {
            payload = envelope.Payload.Deserialize(Json);
        }
        // InvalidOperationException: an envelope built in code whose payload was never set.
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new JsonException($"The payload of '{Type}' event {envelope.Id} is not a valid {typeof(TPayload).Name}: {ex.Message}", ex);
        }
        if (payload is null)
            throw new JsonException($"The payload of '{Type}' event {envelope.Id} is null; a {typeof(TPayload).Name} is required.");
        return new TypedEnvelope<TPayload>(envelope, this, payload, _orderingKey(payload));
    }
}
