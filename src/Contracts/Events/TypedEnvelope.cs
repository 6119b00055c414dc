namespace Fairlane.Contracts.Events;

/// <summary>
/// An envelope whose payload was decoded once, through the <see cref="EventCatalog"/>, into its typed
/// record, with the ordering key that follows from it. Made by <see cref="EventDefinition.Decode"/>.
/// </summary>
public abstract class TypedEnvelope
{
    private protected TypedEnvelope(EventEnvelope raw, EventDefinition definition, string orderingKey)
    {
        Raw = raw;
        Definition = definition;
        OrderingKey = orderingKey;
    }

    /// <summary>The envelope as it was read, payload as JSON.</summary>
    public EventEnvelope Raw { get; }

    /// <summary>The catalogue entry of the event's type.</summary>
    public EventDefinition Definition { get; }

    /// <summary>The event's ordering key (<see cref="EventDefinition{TPayload}.OrderingKeyOf"/>).</summary>
    public string OrderingKey { get; }

    /// <summary>The decoded payload, untyped.</summary>
    public abstract object PayloadObject { get; }

    /// <summary>The envelope id: the idempotency key of the event.</summary>
    public string Id => Raw.Id;

    /// <summary>The tenant that owns the event.</summary>
    public string TenantId => Raw.TenantId;

    /// <summary>The event type, one of <see cref="EventTypes"/>.</summary>
    public string Type => Raw.Type;

    /// <summary>When the fact happened at its source.</summary>
    public DateTimeOffset OccurredAt => Raw.OccurredAt;

    /// <summary>This event with its payload typed as <typeparamref name="TPayload"/>; throws if it is another type's.</summary>
    public TypedEnvelope<TPayload> As<TPayload>() where TPayload : class =>
        this as TypedEnvelope<TPayload>
        ?? throw new InvalidOperationException(
            $"Event {Id} of type '{Type}' carries a {Definition.PayloadType.Name}, not a {typeof(TPayload).Name}: it reached the wrong handler.");
}

/// <summary>A <see cref="TypedEnvelope"/> whose payload is a <typeparamref name="TPayload"/>.</summary>
public sealed class TypedEnvelope<TPayload> : TypedEnvelope where TPayload : class
{
    internal TypedEnvelope(EventEnvelope raw, EventDefinition<TPayload> definition, TPayload payload, string orderingKey)
        : base(raw, definition, orderingKey) => Payload = payload;

    /// <summary>The decoded payload.</summary>
    public TPayload Payload { get; }

    /// <inheritdoc/>
    public override object PayloadObject => Payload;
}
