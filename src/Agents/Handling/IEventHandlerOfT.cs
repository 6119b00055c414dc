using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Handling;

/// <summary>
/// An agent's handler for the event type whose payload is <typeparamref name="TPayload"/> (its
/// <see cref="EventCatalog"/> entry): it receives the payload decoded, never the raw JSON. The
/// members of <see cref="IEventHandler"/> that the pipeline calls are bridged here, so a handler only
/// writes the typed ones.
/// </summary>
public interface IEventHandler<TPayload> : IEventHandler where TPayload : class
{
    string IEventHandler.EventType => EventCatalog.Of<TPayload>().Type;

    /// <inheritdoc cref="IEventHandler.PrepareAsync"/>
    Task<object?> PrepareAsync(TypedEnvelope<TPayload> envelope, string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(null);

    /// <summary>Applies the event's effects in <paramref name="context"/>'s transaction.</summary>
    Task<Outcome> HandleAsync(TypedEnvelope<TPayload> envelope, HandlerContext context, CancellationToken cancellationToken);

    Task<object?> IEventHandler.PrepareAsync(TypedEnvelope envelope, string tenantId, CancellationToken cancellationToken) =>
        PrepareAsync(envelope.As<TPayload>(), tenantId, cancellationToken);

    Task<Outcome> IEventHandler.HandleAsync(TypedEnvelope envelope, HandlerContext context, CancellationToken cancellationToken) =>
        HandleAsync(envelope.As<TPayload>(), context, cancellationToken);
}

/// <summary>The typed form of <see cref="IDeadLetterAware"/>, for a handler of <typeparamref name="TPayload"/> events.</summary>
public interface IDeadLetterAware<TPayload> : IDeadLetterAware where TPayload : class
{
    /// <inheritdoc cref="IDeadLetterAware.DeadLetteredAsync"/>
    Task DeadLetteredAsync(TypedEnvelope<TPayload> envelope, HandlerContext context, CancellationToken cancellationToken);

    Task IDeadLetterAware.DeadLetteredAsync(TypedEnvelope envelope, HandlerContext context, CancellationToken cancellationToken) =>
        DeadLetteredAsync(envelope.As<TPayload>(), context, cancellationToken);
}
